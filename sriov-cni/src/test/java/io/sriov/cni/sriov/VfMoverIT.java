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

  /** A veth has no parent device: VfMover finds it by name. */
  private static final String PCI = "0000:00:00.0";

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
        Link arrived =
            mover.intoPod(
                LOG, h, InterfaceName.of("vfstand0"), PCI, InterfaceName.of("net1"), pod, p);
        assertThat(arrived.name()).isEqualTo(InterfaceName.of("net1"));
        Link recorded = mover.recordHostName(LOG, p, arrived, InterfaceName.of("vfstand0"));
        int index = arrived.index();
        assertThat(h.link("vfstand0")).isEmpty();
        Link moved = p.link("net1").orElseThrow();
        assertThat(moved)
            .as("the link as recordHostName gives it, without reading it again: as a read gives it")
            .isEqualTo(recorded);
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
  void aNameTakenInThePodBeforeTheMoveFailsItAndLeavesTheNetdevInTheHostUnderItsName()
      throws Exception {
    try (RtnlOperations p = namespaces.open(pod)) {
      p.create(new LinkSpec.Veth(InterfaceName.of("net1"), InterfaceName.of("vfstand0")));
    }
    VfMover mover = new VfMover(namespaces);
    try (RtnlOperations h = namespaces.open(host);
        RtnlOperations p = namespaces.open(pod)) {
      h.setUp(h.link("vfstand0").orElseThrow().index(), true);
      assertThatThrownBy(
              () ->
                  mover.intoPod(
                      LOG, h, InterfaceName.of("vfstand0"), PCI, InterfaceName.of("net1"), pod, p))
          .isInstanceOf(ErrnoException.class)
          .hasMessageContaining("EEXIST");
      Link still = h.link("vfstand0").orElseThrow();
      assertThat(still.isUp()).as("refused before the kernel took it down").isTrue();
      assertThat(still.altNames()).isEmpty();
    }
  }

  /**
   * The kernel moves first and renames after: a pod name taken after the caller's check (here: by
   * the host's own handle, just before the request) fails the rename with the VF already in the pod
   * under its host name; it goes straight back to the host under that name, without the marker, and
   * the error names the clash.
   */
  @Test
  void aNameTakenDuringTheMoveSendsTheNetdevBackToTheHostUnderItsName() throws Exception {
    VfMover mover = new VfMover(namespaces);
    try (RtnlOperations h = namespaces.open(host);
        RtnlOperations p = namespaces.open(pod)) {
      RtnlOperations racing = racing(h, p);
      assertThatThrownBy(
              () ->
                  mover.intoPod(
                      LOG,
                      racing,
                      InterfaceName.of("vfstand0"),
                      PCI,
                      InterfaceName.of("net1"),
                      pod,
                      p))
          .isInstanceOf(InvalidNetConfException.class)
          .hasMessage(
              "interface net1 already exists in "
                  + pod
                  + " (it appeared while the VF vfstand0 was moved in; the VF was moved back to"
                  + " the host)")
          .hasRootCauseInstanceOf(ErrnoException.class)
          .hasRootCauseMessage(
              "RTM_SETLINK ifindex "
                  + h.link("vfstand0").orElseThrow().index()
                  + " netns "
                  + pod
                  + " name net1: EEXIST (File exists)");
      assertThat(h.link("vfstand0").orElseThrow().altNames()).isEmpty();
      assertThat(p.link("vfstand0")).isEmpty();
      assertThat(p.link("net1").orElseThrow().kind()).contains("bridge");
    }
  }

  /** The host's handle creating {@code net1} in the pod just before its next move. */
  private static RtnlOperations racing(RtnlOperations host, RtnlOperations pod) {
    return (RtnlOperations)
        java.lang.reflect.Proxy.newProxyInstance(
            VfMoverIT.class.getClassLoader(),
            new Class<?>[] {RtnlOperations.class},
            (proxy, m, args) -> {
              if (m.getName().equals("moveToNamespace")) {
                pod.create(new LinkSpec.Bridge(InterfaceName.of("net1")));
              }
              try {
                return m.invoke(host, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /**
   * The host name taken in the pod (a pod's own {@code eth0} and a VF named {@code eth0} on the
   * host): the kernel moves the VF under the pod name at once, so the one request succeeds.
   */
  @Test
  void aHostNameTakenInThePodDoesNotStopTheMove() throws Exception {
    try (RtnlOperations p = namespaces.open(pod)) {
      p.create(new LinkSpec.Veth(InterfaceName.of("vfstand0"), InterfaceName.of("other0")));
    }
    VfMover mover = new VfMover(namespaces);
    try (RtnlOperations h = namespaces.open(host);
        RtnlOperations p = namespaces.open(pod)) {
      Link arrived =
          mover.intoPod(
              LOG, h, InterfaceName.of("vfstand0"), PCI, InterfaceName.of("net1"), pod, p);
      mover.recordHostName(LOG, p, arrived, InterfaceName.of("vfstand0"));
      assertThat(p.link("net1").orElseThrow().altNames()).containsExactly("sriov-host-vfstand0");
      assertThat(h.link("vfstand0")).isEmpty();
    }
  }

  /**
   * DEL with the host name taken in the host meanwhile: the kernel moves the VF back and refuses
   * the rename, so it waits in the host under its pod name; once the name is free, DEL's retry
   * ({@link VfMover#settleInHost}) gives it its name back.
   */
  @Test
  void aHostNameTakenInTheHostLeavesTheVfInTheHostUnderItsPodNameUntilTheRetry() throws Exception {
    VfMover mover = new VfMover(namespaces);
    try (RtnlOperations h = namespaces.open(host);
        RtnlOperations p = namespaces.open(pod)) {
      Link in =
          mover.intoPod(
              LOG, h, InterfaceName.of("vfstand0"), PCI, InterfaceName.of("net1"), pod, p);
      Link squatter = h.create(new LinkSpec.Bridge(InterfaceName.of("vfstand0")));
      assertThatThrownBy(
              () ->
                  mover.outOfPod(
                      p,
                      h,
                      in,
                      InterfaceName.of("vfstand0"),
                      Optional.empty(),
                      OptionalInt.empty(),
                      InterfaceName.of("net1")))
          .isInstanceOf(ErrnoException.class)
          .hasMessageContaining("EEXIST");
      assertThat(p.link("net1")).isEmpty();
      assertThat(h.link("net1")).as("in the host under its pod name").isPresent();
      h.delete(squatter.index());
      mover.settleInHost(
          h,
          InterfaceName.of("net1"),
          InterfaceName.of("vfstand0"),
          InterfaceName.of("net1"),
          Optional.empty(),
          OptionalInt.of(1500));
      assertThat(h.link("vfstand0").orElseThrow().altNames()).isEmpty();
    }
  }

  @Test
  void sysctlsAreWrittenInThePodsNamespaceAndAMissingKeyIsReported() throws Exception {
    VfMover mover = new VfMover(namespaces);
    try (RtnlOperations h = namespaces.open(host);
        RtnlOperations p = namespaces.open(pod)) {
      mover.intoPod(LOG, h, InterfaceName.of("vfstand0"), PCI, InterfaceName.of("net1"), pod, p);
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
    // as ADD writes them: on the thread of a visit begun before, which also opened rtnetlink there
    try (io.sriov.netlink.route.NamespaceVisit visit = namespaces.visit(pod)) {
      try (RtnlOperations p = visit.rtnl()) {
        assertThat(p.link("net1")).isPresent();
      }
      java.util.SequencedMap<String, String> again = new java.util.LinkedHashMap<>();
      again.put("net/ipv4/conf/net1/arp_notify", "1");
      again.put("net/ipv6/conf/nosuch0/ndisc_notify", "1");
      assertThat(sysctls.writeAll(visit, again))
          .containsExactly("net/ipv6/conf/nosuch0/ndisc_notify");
      // as ADD now writes them: handed to the visit's thread, awaited later
      // (arp_notify back to 0 first: the check at the end reads 1 only if this wrote it)
      assertThat(sysctls.write(pod, "net/ipv4/conf/net1/arp_notify", "0")).isTrue();
      NetnsSysctls.Writes later = sysctls.writeAllLater(visit, again);
      assertThat(later.await()).containsExactly("net/ipv6/conf/nosuch0/ndisc_notify");
    }
    Path gone = Path.of("/var/run/netns/sriovcni-no-such-" + NetlinkSocket.getpid());
    try (io.sriov.netlink.route.NamespaceVisit visit = namespaces.visit(gone)) {
      assertThatThrownBy(visit::rtnl)
          .isInstanceOf(ErrnoException.class)
          .hasMessageContaining(gone.toString())
          .hasMessageContaining("ENOENT");
      java.util.SequencedMap<String, String> one = new java.util.LinkedHashMap<>();
      one.put("net/ipv4/conf/net1/arp_notify", "1");
      assertThatThrownBy(() -> sysctls.writeAll(visit, one))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining(
              "sysctl net/ipv4/conf/net1/arp_notify=1 in " + gone + ": open netns " + gone);
      NetnsSysctls.Writes later = sysctls.writeAllLater(visit, one);
      assertThatThrownBy(later::await)
          .as("handed over without waiting, the failure comes at the wait, named the same")
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining(
              "sysctl net/ipv4/conf/net1/arp_notify=1 in " + gone + ": open netns " + gone);
    }
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
