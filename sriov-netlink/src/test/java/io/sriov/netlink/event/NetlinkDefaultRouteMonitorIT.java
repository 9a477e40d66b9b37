package io.sriov.netlink.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.port.DefaultRouteEvent;
import io.sriov.core.port.DefaultRouteEvent.Kind;
import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Default-route events from the real kernel in a throwaway namespace (a veth pair: this kernel has
 * no dummy module); the monitor's socket is opened inside it and routes are changed with {@code
 * ip}, as an admin or a DHCP client would.
 */
class NetlinkDefaultRouteMonitorIT {
  static final NetnsExecutor EXEC = new NetnsExecutor();
  static NamedNetns named;
  static NetnsName name;
  static NetNamespace ns;
  static int rt0;

  @BeforeAll
  static void setUp() throws Exception {
    Kernel.require();
    named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
    name = NetnsName.of("sriovit-rt-" + NetlinkSocket.getpid());
    named.create(name);
    ns = named.open(name).orElseThrow();
    ip("link", "add", "rt0", "type", "veth", "peer", "name", "rt1");
    ip("link", "set", "rt0", "up");
    ip("link", "set", "rt1", "up");
    ip("addr", "add", "192.0.2.2/24", "dev", "rt0");
    rt0 = Kernel.link(name.value(), "rt0").get("ifindex").asInt();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (ns != null) {
      ns.close();
    }
    if (named != null) {
      named.delete(name);
    }
  }

  private static void ip(String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "ip";
    cmd[1] = "-n";
    cmd[2] = name.value();
    System.arraycopy(args, 0, cmd, 3, args.length);
    Kernel.run(cmd);
  }

  /** The next event within 10 s (bounded), or fails. */
  private static DefaultRouteEvent next(BlockingQueue<DefaultRouteEvent> q)
      throws InterruptedException {
    DefaultRouteEvent e = q.poll(10, TimeUnit.SECONDS);
    assertThat(e).as("a default-route event within 10 s").isNotNull();
    return e;
  }

  @Test
  void defaultRouteAddAndDeleteArriveButOtherRoutesAndTablesDoNot() throws Exception {
    BlockingQueue<DefaultRouteEvent> q = new LinkedBlockingQueue<>();
    AtomicInteger lost = new AtomicInteger();
    try (NetlinkDefaultRouteMonitor mon = NetlinkDefaultRouteMonitor.start(EXEC, ns);
        DefaultRouteMonitor.Subscription sub = mon.subscribe(q::add, lost::incrementAndGet)) {
      long t0 = System.nanoTime();
      ip("route", "add", "default", "via", "192.0.2.1", "dev", "rt0");
      DefaultRouteEvent added = next(q);
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
      System.out.printf("default-route event latency (ip route add to delivery) %d us%n", micros);
      assertThat(added).isEqualTo(new DefaultRouteEvent(Kind.ADDED, List.of(rt0)));

      // None of these publish: when the delete below arrives, kernel order means they were seen.
      ip("route", "add", "198.51.100.0/24", "via", "192.0.2.1", "dev", "rt0");
      ip("route", "add", "default", "via", "192.0.2.1", "dev", "rt0", "table", "100");
      ip("-6", "route", "add", "default", "dev", "rt0");
      ip("route", "del", "198.51.100.0/24");
      ip("route", "del", "default", "table", "100");

      ip("route", "del", "default", "via", "192.0.2.1", "dev", "rt0");
      assertThat(next(q)).isEqualTo(new DefaultRouteEvent(Kind.REMOVED, List.of(rt0)));
      assertThat(q).isEmpty();
      assertThat(lost.get()).isZero();
      assertThat(mon.malformedCount()).isZero();
      assertThat(mon.isRunning()).isTrue();
      ip("-6", "route", "del", "default", "dev", "rt0");
    }
  }

  @Test
  void lostEventsAreSignalled() throws Exception {
    // A tiny kernel buffer and a listener held up: a burst of default routes (each metric is a
    // new route) overflows the socket (ENOBUFS), and the subscriber must hear onLost.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch lost = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    try (NetlinkDefaultRouteMonitor mon = NetlinkDefaultRouteMonitor.start(EXEC, ns, 4096);
        DefaultRouteMonitor.Subscription sub =
            mon.subscribe(
                e -> {
                  if (first.getAndSet(false)) {
                    try {
                      release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException ex) {
                      Thread.currentThread().interrupt();
                    }
                  }
                },
                lost::countDown)) {
      Path add = Files.createTempFile("routes", ".batch");
      Path del = Files.createTempFile("routes", ".batch");
      StringBuilder a = new StringBuilder();
      StringBuilder d = new StringBuilder();
      for (int i = 1; i <= 200; i++) {
        a.append("route add default via 192.0.2.1 dev rt0 metric ").append(i).append('\n');
        d.append("route del default via 192.0.2.1 dev rt0 metric ").append(i).append('\n');
      }
      Files.writeString(add, a);
      Files.writeString(del, d);
      try {
        ip("-batch", add.toString());
        release.countDown();
        assertThat(lost.await(10, TimeUnit.SECONDS)).as("onLost within 10 s").isTrue();
        assertThat(mon.overflowCount()).isPositive();
        assertThat(mon.isRunning()).isTrue();
      } finally {
        release.countDown();
        ip("-batch", del.toString());
        Files.delete(add);
        Files.delete(del);
      }
    }
  }

  @Test
  void closeIsIdempotentStopsTheThreadAndCancelledListenersHearNothing() throws Exception {
    BlockingQueue<DefaultRouteEvent> cancelled = new LinkedBlockingQueue<>();
    BlockingQueue<DefaultRouteEvent> still = new LinkedBlockingQueue<>();
    NetlinkDefaultRouteMonitor mon = NetlinkDefaultRouteMonitor.start(EXEC, ns);
    DefaultRouteMonitor.Subscription sub = mon.subscribe(cancelled::add);
    mon.subscribe(still::add);
    sub.close();
    ip("route", "add", "default", "via", "192.0.2.1", "dev", "rt0", "metric", "7");
    assertThat(next(still).kind()).isEqualTo(Kind.ADDED);
    assertThat(cancelled).isEmpty();
    assertThat(mon.isRunning()).isTrue();
    mon.close();
    assertThat(mon.isRunning()).isFalse();
    mon.close();
    ip("route", "del", "default", "via", "192.0.2.1", "dev", "rt0", "metric", "7");
  }
}
