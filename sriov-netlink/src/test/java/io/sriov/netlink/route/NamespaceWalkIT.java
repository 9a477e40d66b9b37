package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelRtnlNamespaces#inEach} on the real kernel (root): throwaway named namespaces as a
 * "host" and two "pods", each pod holding one end of a veth whose other end is in the host; each
 * pod sends a different number of UDP datagrams to the host, and one walk reads each pod's veth
 * counters inside its namespace, on one thread that is not the caller's and is gone afterwards. A
 * namespace that does not exist fails alone (ENOENT); a spent budget leaves the rest unvisited.
 */
class NamespaceWalkIT {
  private static final NetnsExecutor EXEC = new NetnsExecutor();
  private static final NamedNetns NAMED = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);

  private final List<NetnsName> created = new ArrayList<>();
  private String tag;

  @BeforeEach
  void namespaces() throws Exception {
    Kernel.require();
    tag = Long.toString(NetlinkSocket.getpid() % 100_000);
    for (String n : List.of("host", "pod0", "pod1")) {
      NetnsName name = NetnsName.of("sriovit-walk-" + n + "-" + tag);
      NAMED.create(name);
      created.add(name);
    }
  }

  @AfterEach
  void delete() throws Exception {
    for (NetnsName n : created) {
      NAMED.delete(n);
    }
  }

  private String name(int i) {
    return created.get(i).value();
  }

  private Path path(int i) {
    return NAMED.path(created.get(i));
  }

  /** A veth from the host to pod {@code p} (10.99.p.1 host side, 10.99.p.2 pod side). */
  private void wire(int p) {
    String host = name(0);
    String pod = name(1 + p);
    for (String ns : List.of(host, pod)) {
      Kernel.run(
          "ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
      Kernel.run(
          "ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
    }
    Kernel.run(
        "ip", "-n", host, "link", "add", "wh" + p, "type", "veth", "peer", "name", "wp" + p,
        "netns", pod);
    Kernel.run("ip", "-n", host, "addr", "add", "10.99." + p + ".1/30", "dev", "wh" + p);
    Kernel.run("ip", "-n", pod, "addr", "add", "10.99." + p + ".2/30", "dev", "wp" + p);
    Kernel.run("ip", "-n", host, "link", "set", "wh" + p, "up");
    Kernel.run("ip", "-n", pod, "link", "set", "wp" + p, "up");
  }

  /** {@code n} UDP datagrams sent from inside pod {@code p} to the host end. */
  private void send(int p, int n) throws Exception {
    try (NetNamespace ns = NetNamespace.open(path(1 + p))) {
      EXEC.run(
          ns,
          () -> {
            try (DatagramSocket s = new DatagramSocket()) {
              byte[] b = new byte[100];
              InetAddress to = InetAddress.getByName("10.99." + p + ".1");
              for (int i = 0; i < n; i++) {
                s.send(new DatagramPacket(b, b.length, to, 9));
              }
            }
            return null;
          });
    }
  }

  @Test
  void oneThreadReadsTheCountersInsideEachNamespace() throws Exception {
    wire(0);
    wire(1);
    send(0, 3);
    send(1, 12);
    Map<Path, LinkStats> read = new LinkedHashMap<>();
    Set<Thread> threads = new HashSet<>();
    Map<Path, String> failures = new LinkedHashMap<>();
    Path gone = Path.of(NamedNetns.DEFAULT_RUN_DIR.toString(), "sriovit-walk-gone-" + tag);
    KernelRtnlNamespaces namespaces = new KernelRtnlNamespaces(EXEC, path(0));
    List<Path> late =
        namespaces.inEach(
            List.of(path(1), gone, path(2)),
            Duration.ofSeconds(10),
            new RtnlNamespaces.Visitor() {
              @Override
              public void inside(Path ns, RtnlOperations rtnl) throws NetlinkException {
                threads.add(Thread.currentThread());
                String dev = ns.equals(path(1)) ? "wp0" : "wp1";
                read.put(ns, rtnl.link(dev).orElseThrow().stats().orElseThrow());
              }

              @Override
              public void failed(Path ns, NetlinkException e) {
                failures.put(ns, e.getMessage());
              }
            });
    assertThat(late).isEmpty();
    assertThat(read).containsOnlyKeys(path(1), path(2));
    // 3 and 12 datagrams, plus an ARP request or two: each pod's own veth end
    assertThat(read.get(path(1)).txPackets()).isBetween(3L, 8L);
    assertThat(read.get(path(2)).txPackets()).isGreaterThanOrEqualTo(12L);
    assertThat(read.get(path(2)).txBytes()).isGreaterThanOrEqualTo(12L * 128);
    assertThat(failures).containsOnlyKeys(gone);
    assertThat(failures.get(gone)).contains("ENOENT");
    assertThat(threads).hasSize(1);
    Thread walker = threads.iterator().next();
    assertThat(walker).isNotSameAs(Thread.currentThread());
    assertThat(walker.getName()).startsWith("netns-walk-");
    assertThat(walker.isAlive()).as("the walk's thread ends with the walk").isFalse();
  }

  @Test
  void aSpentBudgetLeavesTheRestUnvisited() throws Exception {
    KernelRtnlNamespaces namespaces = new KernelRtnlNamespaces(EXEC, path(0));
    List<Path> visited = new ArrayList<>();
    List<Path> late =
        namespaces.inEach(
            List.of(path(1), path(2)),
            Duration.ofNanos(1),
            new RtnlNamespaces.Visitor() {
              @Override
              public void inside(Path ns, RtnlOperations rtnl) {
                visited.add(ns);
              }

              @Override
              public void failed(Path ns, NetlinkException e) {
                visited.add(ns);
              }
            });
    assertThat(visited).isEmpty();
    assertThat(late).containsExactly(path(1), path(2));
  }

  @Test
  void onlyTheWalksOwnThreadMayEnter() throws Exception {
    NetnsExecutor.Walker[] kept = new NetnsExecutor.Walker[1];
    EXEC.walk(
        w -> {
          kept[0] = w;
          return null;
        });
    try (NetNamespace ns = NetNamespace.open(path(1))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> kept[0].enter(ns))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only the walk's own thread may enter");
    }
  }
}
