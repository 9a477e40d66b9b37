package io.sriov.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.cni.plugin.CniLog;
import io.sriov.core.testing.Prerequisites;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What needs no VF, on the real kernel (root): the move into a pod through a temporary namespace
 * and back, with a veth standing in for the VF netdev, and the in-pod sysctls. The "host" is a
 * throwaway named namespace ({@code /var/run/netns/sriovcni-PID-N-host}), so the machine's own
 * namespace is never touched.
 */
class VfMoverIT {
  private static final NetnsExecutor EXEC = new NetnsExecutor();
  private static final NamedNetns NAMED = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final CniLog LOG = CniLog.toStderr(System.err, java.time.Clock.systemUTC());

  private Path host;
  private Path pod;
  private KernelRtnlNamespaces namespaces;

  @BeforeAll
  static void requireRoot() {
    String why =
        NetlinkSocket.unavailableReason()
            .orElse(Prerequisites.isRoot() ? "" : "not running as root");
    Prerequisites.require(why.isEmpty(), "root and network namespaces", why);
  }

  @BeforeEach
  void namespaces() throws Exception {
    host = create("host");
    pod = create("pod");
    namespaces = new KernelRtnlNamespaces(EXEC, host);
    try (RtnlOperations h = namespaces.open(host)) {
      h.create(new LinkSpec.Veth(InterfaceName.of("vfstand0"), InterfaceName.of("peer0")));
    }
  }

  private Path create(String suffix) throws Exception {
    NetnsName n =
        NetnsName.of(
            "sriovcni-" + NetlinkSocket.getpid() + "-" + COUNTER.incrementAndGet() + "-" + suffix);
    NAMED.create(n);
    return NAMED.path(n);
  }

  @AfterEach
  void delete() throws Exception {
    NAMED.delete(NetnsName.of(pod.getFileName().toString()));
    NAMED.delete(NetnsName.of(host.getFileName().toString()));
  }

  @Test
  void intoThePodUnderItsNewNameAndBackWithNameMacAndMtuRestored() throws Exception {
    VfMover mover = new VfMover(namespaces);
    MacAddress original;
    try (RtnlOperations h = namespaces.open(host)) {
      Link l = h.link("vfstand0").orElseThrow();
      original = l.mac().orElseThrow();
      h.setUp(l.index(), true);
      try (RtnlOperations p = namespaces.open(pod)) {
        int index =
            mover.intoPod(LOG, h, InterfaceName.of("vfstand0"), InterfaceName.of("net1"), pod, p);
        assertThat(h.link("vfstand0")).isEmpty();
        Link moved = p.link("net1").orElseThrow();
        assertThat(moved.index()).isEqualTo(index);
        assertThat(moved.isUp()).isFalse();
        assertThat(moved.altNames())
            .as("the kernel keeps the host-name altname")
            .containsExactly("sriov-host-vfstand0");
        assertThat(VfMover.recordedHostName(moved)).contains(InterfaceName.of("vfstand0"));
        p.setMac(index, MacAddress.parse("02:00:00:00:00:42"));
        p.setMtu(index, 1400);
        p.setUp(index, true);
        mover.outOfPod(
            p,
            h,
            p.link(index).orElseThrow(),
            InterfaceName.of("vfstand0"),
            Optional.of(original),
            OptionalInt.of(1500),
            InterfaceName.of("net1"));
        assertThat(p.link("net1")).isEmpty();
      }
      Link back = h.link("vfstand0").orElseThrow();
      assertThat(back.mac()).contains(original);
      assertThat(back.mtu()).isEqualTo(1500);
      assertThat(back.isUp()).isFalse();
      assertThat(back.altNames()).isEmpty();
    }
  }

  @Test
  void aNameTakenInThePodFailsTheMoveAndLeavesTheNetdevInTheHostUnderItsName() throws Exception {
    try (RtnlOperations p = namespaces.open(pod)) {
      p.create(new LinkSpec.Veth(InterfaceName.of("net1"), InterfaceName.of("other")));
    }
    VfMover mover = new VfMover(namespaces);
    try (RtnlOperations h = namespaces.open(host);
        RtnlOperations p = namespaces.open(pod)) {
      assertThatThrownBy(
              () ->
                  mover.intoPod(
                      LOG, h, InterfaceName.of("vfstand0"), InterfaceName.of("net1"), pod, p))
          .isInstanceOf(ErrnoException.class)
          .hasMessageContaining("EEXIST");
      assertThat(h.link("vfstand0")).isPresent();
    }
  }

  @Test
  void sysctlsAreWrittenInThePodsNamespaceAndAMissingKeyIsReported() throws Exception {
    VfMover mover = new VfMover(namespaces);
    try (RtnlOperations h = namespaces.open(host);
        RtnlOperations p = namespaces.open(pod)) {
      mover.intoPod(LOG, h, InterfaceName.of("vfstand0"), InterfaceName.of("net1"), pod, p);
    }
    KernelNetnsSysctls sysctls = new KernelNetnsSysctls(EXEC);
    assertThat(sysctls.write(pod, "net/ipv4/conf/net1/arp_notify", "1")).isTrue();
    assertThat(sysctls.write(pod, "net/ipv4/conf/nosuch0/arp_notify", "1")).isFalse();
    java.util.SequencedMap<String, String> batch = new java.util.LinkedHashMap<>();
    batch.put("net/ipv6/conf/net1/ndisc_notify", "1");
    batch.put("net/ipv4/conf/nosuch0/arp_notify", "1");
    batch.put("net/ipv6/conf/net1/optimistic_dad", "1");
    assertThat(sysctls.writeAll(pod, batch))
        .as("one namespace entry for all three; the absent key reported, the others written")
        .containsExactly("net/ipv4/conf/nosuch0/arp_notify");
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                pod.getFileName().toString(),
                "cat",
                "/proc/sys/net/ipv4/conf/net1/arp_notify",
                "/proc/sys/net/ipv4/conf/all/arp_notify",
                "/proc/sys/net/ipv6/conf/net1/ndisc_notify",
                "/proc/sys/net/ipv6/conf/net1/optimistic_dad")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo("1\n0\n1\n1\n");
  }
}
