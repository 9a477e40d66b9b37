package io.sriov.netlink.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.OperState;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import io.sriov.core.value.InterfaceName;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Link events from the real kernel in a throwaway namespace; changes are made with {@code ip}, so
 * the monitor sees exactly what an outside actor does.
 */
class NetlinkLinkMonitorIT {
  static final NetnsExecutor EXEC = new NetnsExecutor();
  static NamedNetns named;
  static NetnsName name;
  static NetNamespace ns;

  @BeforeAll
  static void setUp() throws Exception {
    Kernel.require();
    named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
    name = NetnsName.of("sriovit-mon-" + NetlinkSocket.getpid());
    named.create(name);
    ns = named.open(name).orElseThrow();
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

  /** Waits (bounded, 10 s) for the first event matching {@code p}, skipping others. */
  private static LinkEvent await(BlockingQueue<LinkEvent> q, Predicate<LinkEvent> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      LinkEvent e = q.poll(100, TimeUnit.MILLISECONDS);
      if (e != null && p.test(e)) {
        return e;
      }
    }
    throw new AssertionError("no matching link event within 10 s; left: " + q);
  }

  @Test
  void reportsAddedCarrierChangesAndRemovedLinks() throws Exception {
    BlockingQueue<LinkEvent> q = new LinkedBlockingQueue<>();
    try (NetlinkLinkMonitor mon = NetlinkLinkMonitor.start(EXEC, ns);
        LinkMonitor.Subscription sub = mon.subscribe(q::add)) {
      assertThat(mon.snapshot())
          .extracting(e -> e.name().value())
          .contains("lo")
          .allSatisfy(n -> assertThat(n).isNotEmpty());
      assertThat(mon.snapshot()).allMatch(e -> e.kind() == LinkEvent.Kind.PRESENT);

      ip("link", "add", "mon0", "type", "veth", "peer", "name", "mon1");
      LinkEvent added = await(q, e -> e.name().value().equals("mon0"));
      assertThat(added.kind()).isEqualTo(LinkEvent.Kind.PRESENT);
      assertThat(added.carrier()).isFalse();

      ip("link", "set", "mon0", "up");
      ip("link", "set", "mon1", "up");
      LinkEvent up =
          await(q, e -> e.name().value().equals("mon0") && e.operState() == OperState.UP);
      assertThat(up.kind()).isEqualTo(LinkEvent.Kind.CHANGED);
      assertThat(up.carrier()).isTrue();
      assertThat(up.ifIndex()).isEqualTo(added.ifIndex());

      ip("link", "set", "mon1", "down");
      LinkEvent lost = await(q, e -> e.name().value().equals("mon0") && !e.carrier());
      assertThat(lost.kind()).isEqualTo(LinkEvent.Kind.CHANGED);
      assertThat(lost.operState()).isEqualTo(OperState.LOWERLAYERDOWN);

      ip("link", "set", "mon1", "name", "mon2");
      assertThat(await(q, e -> e.name().value().equals("mon2")).kind())
          .isEqualTo(LinkEvent.Kind.CHANGED);

      ip("link", "del", "mon0");
      LinkEvent removed = await(q, e -> e.kind() == LinkEvent.Kind.REMOVED);
      assertThat(removed.name()).isIn(InterfaceName.of("mon0"), InterfaceName.of("mon2"));
      assertThat(mon.snapshot()).extracting(e -> e.name().value()).doesNotContain("mon0", "mon2");
    }
  }

  @Test
  void aLinkMovedToAnotherNamespaceAndBackIsReportedAsMovesADeletionIsNot() throws Exception {
    NetnsName other = NetnsName.of("sriovit-mon2-" + NetlinkSocket.getpid());
    named.create(other);
    BlockingQueue<LinkEvent> q = new LinkedBlockingQueue<>();
    try (NetlinkLinkMonitor mon = NetlinkLinkMonitor.start(EXEC, ns);
        LinkMonitor.Subscription sub = mon.subscribe(q::add)) {
      ip("link", "add", "mv0", "type", "veth", "peer", "name", "mv1");
      LinkEvent added = await(q, e -> e.name().value().equals("mv0"));
      assertThat(added.netnsMove()).as("created, not moved").isFalse();

      ip("link", "set", "mv0", "netns", other.value());
      LinkEvent left = await(q, e -> e.kind() == LinkEvent.Kind.REMOVED);
      assertThat(left.name().value()).isEqualTo("mv0");
      assertThat(left.netnsMove()).as("left for another namespace").isTrue();

      Kernel.run("ip", "-n", other.value(), "link", "set", "mv0", "netns", name.value());
      LinkEvent back = await(q, e -> e.name().value().equals("mv0"));
      assertThat(back.kind()).isEqualTo(LinkEvent.Kind.PRESENT);
      assertThat(back.ifIndex()).isEqualTo(added.ifIndex());
      assertThat(back.netnsMove()).as("came back").isTrue();

      ip("link", "del", "mv0");
      LinkEvent deleted =
          await(q, e -> e.kind() == LinkEvent.Kind.REMOVED && e.name().value().equals("mv0"));
      assertThat(deleted.netnsMove()).as("deleted, not moved").isFalse();
    } finally {
      named.delete(other);
    }
  }

  @Test
  void closeStopsTheThreadAndCancelledListenersHearNothing() throws Exception {
    BlockingQueue<LinkEvent> q = new LinkedBlockingQueue<>();
    NetlinkLinkMonitor mon = NetlinkLinkMonitor.start(EXEC, ns);
    LinkMonitor.Subscription sub = mon.subscribe(q::add);
    BlockingQueue<LinkEvent> still = new LinkedBlockingQueue<>();
    mon.subscribe(still::add);
    sub.close();
    ip("link", "add", "cls0", "type", "veth", "peer", "name", "cls1");
    await(still, e -> e.name().value().equals("cls0"));
    assertThat(q).isEmpty();
    assertThat(mon.isRunning()).isTrue();
    mon.close();
    assertThat(mon.isRunning()).isFalse();
    ip("link", "del", "cls0");
  }

  @Test
  void lostEventsAreRecoveredByResynchronising() throws Exception {
    // A tiny kernel buffer and a listener held up: the burst below overflows the socket (ENOBUFS);
    // the monitor must still end up reporting every link that exists.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.Set<String> present = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean first =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    try (NetlinkLinkMonitor mon = NetlinkLinkMonitor.start(EXEC, ns, 4096);
        LinkMonitor.Subscription sub =
            mon.subscribe(
                e -> {
                  if (first.getAndSet(false)) {
                    try {
                      release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException ex) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  if (e.kind() != LinkEvent.Kind.REMOVED) {
                    present.add(e.name().value());
                  }
                })) {
      java.nio.file.Path batch = java.nio.file.Files.createTempFile("veths", ".batch");
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        b.append("link add ovf")
            .append(i)
            .append(" type veth peer name ovg")
            .append(i)
            .append('\n');
      }
      java.nio.file.Files.writeString(batch, b);
      ip("-batch", batch.toString());
      java.nio.file.Files.delete(batch);
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (present.stream().filter(n -> n.startsWith("ov")).count() < 80
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(present.stream().filter(n -> n.startsWith("ov")).count()).isEqualTo(80);
      assertThat(mon.resyncCount()).as("the burst overflowed the 4 KiB buffer").isPositive();
      assertThat(mon.isRunning()).isTrue();
      for (int i = 0; i < 40; i++) {
        ip("link", "del", "ovf" + i);
      }
    }
  }
}
