package io.sriov.simulator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.OperState;
import io.sriov.core.port.EventSource;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.RouteSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated node's side of {@link SimulatedNetwork}: netdevs registered from its topology, the
 * CNI's flow into a pod namespace and back, namespace deletion, the change reports that keep sysfs
 * and the link monitor consistent, and the simulation's own refusals.
 */
class SimulatedNetworkTest {
  static final PciAddress PF = PciAddress.parse("0000:af:00.0");
  static final PciAddress VF0 = PciAddress.parse("0000:b0:00.0");
  static final Path POD = Path.of("/var/run/netns/cni-1234");

  SimulatedNetwork net;
  SimulatedRtnl host;
  final List<LinkChange> changes = new ArrayList<>();

  @BeforeEach
  void node() throws Exception {
    net =
        new SimulatedNetwork(
            List.of(
                HardwareNetdev.pf(
                    InterfaceName.of("ens1f0"),
                    PF,
                    "ice",
                    MacAddress.parse("b4:96:91:00:00:01"),
                    1500,
                    25000,
                    4)));
    net.setNumVfs(PF, 2);
    net.addNetdev(vf0("ens1f0v0"), true);
    host = net.open(SimulatedNetwork.HOST);
    net.addListener(changes::add);
  }

  static HardwareNetdev vf0(String name) {
    return HardwareNetdev.vf(
        InterfaceName.of(name),
        VF0,
        "iavf",
        MacAddress.parse("02:00:00:00:00:a0"),
        1500,
        25000,
        PF,
        0);
  }

  private List<String> events() {
    List<String> out = new ArrayList<>();
    for (LinkChange c : changes) {
      c.linkEvent()
          .ifPresent(
              e ->
                  out.add(
                      e.kind()
                          + " "
                          + c.namespace().getFileName()
                          + " "
                          + e.name()
                          + " "
                          + e.operState()
                          + " "
                          + e.carrier()));
    }
    return out;
  }

  @Test
  void theNodesNetdevsAreInTheHostNamespaceUpWithTheirPciParent() throws Exception {
    List<Link> links = host.links();
    assertThat(links).extracting(l -> l.name().value()).containsExactly("lo", "ens1f0", "ens1f0v0");
    Link pf = links.get(1);
    assertThat(pf.index()).isEqualTo(2);
    assertThat(pf.operState()).isEqualTo(OperState.UP);
    assertThat(pf.kind()).isEmpty();
    assertThat(pf.parentBusName()).contains("pci");
    assertThat(pf.parentDeviceName()).contains("0000:af:00.0");
    assertThat(pf.permanentMac()).contains(MacAddress.parse("b4:96:91:00:00:01"));
    assertThat(links.get(2).parentDeviceName()).contains("0000:b0:00.0");
    assertThat(net.namespaceOf(VF0)).contains(SimulatedNetwork.HOST);
    assertThat(net.hostNamespace()).isEqualTo(Path.of("/proc/self/ns/net"));
    assertThat(net.namespaces()).containsExactly(SimulatedNetwork.HOST);
  }

  @Test
  void hardwareMtuIsBoundByTheDriver() throws Exception {
    int pf = host.link("ens1f0").orElseThrow().index();
    host.setMtu(pf, 9702);
    assertThatThrownBy(() -> host.setMtu(pf, 9703))
        .isInstanceOf(ErrnoException.class)
        .hasMessage(
            "RTM_SETLINK ifindex 2 mtu 9703: EINVAL (Invalid argument): mtu greater than device"
                + " maximum");
    assertThatThrownBy(
            () ->
                HardwareNetdev.pf(
                    InterfaceName.of("eth9"),
                    PF,
                    "igb",
                    MacAddress.parse("02:00:00:00:00:09"),
                    9217,
                    1000,
                    0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("netdev eth9: MTU 9217 outside igb's 68-9216");
    assertThatThrownBy(
            () ->
                new HardwareNetdev(
                    InterfaceName.of("eth9"),
                    VF0,
                    "iavf",
                    MacAddress.parse("02:00:00:00:00:09"),
                    1500,
                    1000,
                    2,
                    java.util.Optional.of(new HardwareNetdev.VfOf(PF, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("netdev eth9: totalVfs 2 is for PFs only (0-2048)");
    assertThatThrownBy(
            () ->
                HardwareNetdev.pf(
                    InterfaceName.of("eth9"),
                    PF,
                    "ice",
                    MacAddress.parse("02:00:00:00:00:09"),
                    1500,
                    -1,
                    0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("netdev eth9: negative speed -1");
    assertThat(DriverProfile.of("mlx5_core").maxMtu()).isEqualTo(9978);
    assertThat(DriverProfile.of("igb").linkState()).isFalse();
    assertThat(DriverProfile.of("bnxt_en"))
        .isEqualTo(new DriverProfile("bnxt_en", 9702, true, true, false, true));
  }

  @Test
  void theCniFlowIntoAPodNamespaceAndBack() throws Exception {
    net.createNamespace(POD);
    int vf = host.link("ens1f0v0").orElseThrow().index();
    host.moveToNamespace(vf, POD);
    assertThat(host.link("ens1f0v0")).isEmpty();
    assertThat(net.namespaceOf(VF0)).contains(POD);
    try (SimulatedRtnl pod = net.open(POD)) {
      Link moved = pod.link("ens1f0v0").orElseThrow();
      assertThat(moved.index()).isEqualTo(vf);
      pod.rename(moved.index(), InterfaceName.of("net1"));
      pod.setUp(moved.index(), true);
      pod.addAddress(moved.index(), IpPrefix.parse("10.56.217.10/24"), false);
      pod.addRoute(
          RouteSpec.via(
              IpPrefix.parse("0.0.0.0/0"), IpPrefix.parseAddress("10.56.217.1"), moved.index()));
      assertThat(pod.link("net1").orElseThrow().operState()).isEqualTo(OperState.UP);
      assertThat(pod.routes(false, 0)).hasSize(2);
      pod.setUp(moved.index(), false);
      pod.rename(moved.index(), InterfaceName.of("ens1f0v0"));
      pod.moveToNamespace(moved.index(), net.hostNamespace());
      assertThat(pod.links()).extracting(l -> l.name().value()).containsExactly("lo");
    }
    assertThat(host.link("ens1f0v0").orElseThrow().index()).isEqualTo(vf);
    assertThat(events())
        .containsExactly(
            "REMOVED net ens1f0v0 UP true",
            "PRESENT cni-1234 ens1f0v0 DOWN false",
            "CHANGED cni-1234 net1 DOWN false",
            "CHANGED cni-1234 net1 UP true",
            "CHANGED cni-1234 net1 DOWN false",
            "CHANGED cni-1234 ens1f0v0 DOWN false",
            "REMOVED cni-1234 ens1f0v0 DOWN false",
            "PRESENT net ens1f0v0 DOWN false");
    assertThat(changes.get(0).device()).contains(VF0);
  }

  @Test
  void anOpenNamespaceFileIsATargetByItsPath() throws Exception {
    net.createNamespace(POD);
    int vf = host.link("ens1f0v0").orElseThrow().index();
    host.moveToNamespace(vf, POD);
    try (SimulatedRtnl pod = net.open(POD);
        NetNamespace self = NetNamespace.open(Path.of("/proc/self/ns/net"));
        NetNamespace notSimulated = NetNamespace.open(Path.of("/proc/self/status"))) {
      assertThatThrownBy(() -> pod.moveToNamespace(vf, notSimulated))
          .isInstanceOf(ErrnoException.class)
          .hasMessage(
              "RTM_SETLINK ifindex " + vf + " netns /proc/self/status: EINVAL (Invalid argument)");
      pod.moveToNamespace(vf, self);
    }
    assertThat(net.namespaceOf(VF0)).contains(SimulatedNetwork.HOST);
  }

  @Test
  void aSharedLockIsTheNetworksLock() throws Exception {
    Object lock = new Object();
    SimulatedNetwork shared =
        new SimulatedNetwork(List.of(), SimulatedNetwork.Kernel.LINUX_6_2_OR_LATER, lock);
    List<Boolean> held = new ArrayList<>();
    shared.addListener(c -> held.add(Thread.holdsLock(lock)));
    try (SimulatedRtnl r = shared.open(SimulatedNetwork.HOST)) {
      r.setUp(1, true);
    }
    assertThat(held).containsExactly(true);
  }

  @Test
  void aDeletedPodNamespaceGivesItsHardwareBackAndDeletesTheRest() throws Exception {
    net.createNamespace(POD);
    int vf = host.link("ens1f0v0").orElseThrow().index();
    Link veth =
        host.create(new LinkSpec.Veth(InterfaceName.of("vethh"), InterfaceName.of("vethp")));
    host.moveToNamespace(host.link("vethp").orElseThrow().index(), POD);
    host.moveToNamespace(vf, POD);
    try (SimulatedRtnl pod = net.open(POD)) {
      pod.rename(vf, InterfaceName.of("net1"));
    }
    net.deleteNamespace(POD);
    assertThat(host.link("net1").orElseThrow().isUp()).isFalse();
    assertThat(host.link(veth.index())).as("the veth went with its peer").isEmpty();
    assertThat(net.namespaces()).containsExactly(SimulatedNetwork.HOST);
    assertThatThrownBy(() -> net.open(POD))
        .isInstanceOf(ErrnoException.class)
        .hasMessage("open netns /var/run/netns/cni-1234: ENOENT (No such file or directory)");
  }

  @Test
  void aHardwareNameTakenMeanwhileComesBackAsDevN() throws Exception {
    net.createNamespace(POD);
    int vf = host.link("ens1f0v0").orElseThrow().index();
    host.moveToNamespace(vf, POD);
    host.create(new LinkSpec.Bridge(InterfaceName.of("ens1f0v0")));
    net.deleteNamespace(POD);
    assertThat(host.link("dev0").orElseThrow().parentDeviceName()).contains("0000:b0:00.0");
  }

  @Test
  void unbindingRemovesTheNetdevWhereverItIs() throws Exception {
    net.createNamespace(POD);
    host.moveToNamespace(host.link("ens1f0v0").orElseThrow().index(), POD);
    assertThat(net.removeNetdev(VF0)).isTrue();
    assertThat(net.removeNetdev(VF0)).isFalse();
    assertThat(net.namespaceOf(VF0)).isEmpty();
    assertThat(changes.get(changes.size() - 1).kind()).isEqualTo(LinkChange.Kind.REMOVED);
    assertThat(changes.get(changes.size() - 1).namespace()).isEqualTo(POD);
    Link again = net.addNetdev(vf0("ens1f0v0"), false);
    assertThat(again.isUp()).isFalse();
    assertThat(again.index()).as("a new ifindex in the host").isEqualTo(4);
  }

  @Test
  void aCablePullChangesThePfAndItsVfsAndNothingElse() throws Exception {
    host.create(new LinkSpec.Bridge(InterfaceName.of("br0")));
    changes.clear();
    net.setCarrier(PF, false);
    assertThat(events())
        .containsExactly("CHANGED net ens1f0 DOWN false", "CHANGED net ens1f0v0 DOWN false");
    changes.clear();
    host.setMtu(host.link("ens1f0").orElseThrow().index(), 9000);
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).kind()).isEqualTo(LinkChange.Kind.CHANGED);
    assertThat(changes.get(0).after().mtu()).isEqualTo(9000);
    assertThat(changes.get(0).linkEvent()).as("not a link-monitor event").isEmpty();
  }

  @Test
  void listenersAreIsolatedAndCanBeRemoved() throws Exception {
    List<LinkChange> second = new ArrayList<>();
    net.addListener(
        c -> {
          throw new IllegalStateException("boom");
        });
    EventSource.Subscription sub = net.addListener(second::add);
    net.setCarrier(PF, false);
    assertThat(second).hasSize(2);
    assertThat(changes).hasSize(2);
    sub.close();
    net.setCarrier(PF, true);
    assertThat(second).hasSize(2);
    assertThat(changes).hasSize(4);
  }

  @Test
  void linkEventsFilterAsTheNetlinkMonitorDoes() {
    Link before = link("a", OperState.UP, true, 1500);
    LinkChange mtu =
        new LinkChange(
            LinkChange.Kind.CHANGED,
            POD,
            java.util.Optional.of(before),
            link("a", OperState.UP, true, 9000),
            java.util.Optional.empty());
    assertThat(mtu.linkEvent()).isEmpty();
    LinkChange carrier =
        new LinkChange(
            LinkChange.Kind.CHANGED,
            POD,
            java.util.Optional.of(before),
            link("a", OperState.DOWN, false, 1500),
            java.util.Optional.empty());
    assertThat(carrier.linkEvent())
        .contains(
            new LinkEvent(LinkEvent.Kind.CHANGED, 7, InterfaceName.of("a"), OperState.DOWN, false));
  }

  private static Link link(String name, OperState state, boolean carrier, int mtu) {
    return new Link(
        7,
        InterfaceName.of(name),
        List.of(),
        java.util.Optional.empty(),
        0,
        state,
        carrier,
        mtu,
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        List.of(),
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        1,
        6);
  }

  @Test
  void kernelsBefore62RefuseToRenameAnUpLink() throws Exception {
    SimulatedNetwork old = new SimulatedNetwork(List.of(), SimulatedNetwork.Kernel.BEFORE_6_2);
    try (SimulatedRtnl r = old.open(SimulatedNetwork.HOST)) {
      Link a = r.create(new LinkSpec.Veth(InterfaceName.of("a0"), InterfaceName.of("a1")));
      r.setUp(a.index(), true);
      assertThatThrownBy(() -> r.rename(a.index(), InterfaceName.of("b0")))
          .isInstanceOf(ErrnoException.class)
          .hasMessage("RTM_SETLINK ifindex 3 name b0: EBUSY (Device or resource busy)");
      r.setUp(a.index(), false);
      r.rename(a.index(), InterfaceName.of("b0"));
    }
  }

  @Test
  void theSimulationsOwnRefusals() throws Exception {
    assertThatThrownBy(() -> net.addNetdev(vf0("other"), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SIMULATION: 0000:b0:00.0 already has a netdev");
    assertThatThrownBy(
            () ->
                net.addNetdev(
                    HardwareNetdev.vf(
                        InterfaceName.of("ens1f0"),
                        PciAddress.parse("0000:b0:00.1"),
                        "iavf",
                        MacAddress.parse("02:00:00:00:00:a1"),
                        1500,
                        25000,
                        PF,
                        1),
                    true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SIMULATION: netdev name ens1f0 already in use in the host namespace");
    net.createNamespace(POD);
    assertThatThrownBy(() -> net.createNamespace(POD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: network namespace /var/run/netns/cni-1234 exists");
    assertThatThrownBy(() -> net.deleteNamespace(SimulatedNetwork.HOST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: the host namespace cannot be deleted");
    assertThatThrownBy(
            () ->
                host.create(
                    new LinkSpec.Veth(
                        InterfaceName.of("x0"), InterfaceName.of("x1"), OptionalInt.of(5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "SIMULATION: a veth peer created in another namespace by fd is not simulated;"
                + " create the pair here and move the peer");
    SimulatedRtnl pod = net.open(POD);
    net.deleteNamespace(POD);
    assertThatThrownBy(() -> net.deleteNamespace(POD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: no network namespace /var/run/netns/cni-1234");
    assertThatThrownBy(pod::links)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SIMULATION: network namespace /var/run/netns/cni-1234 was deleted");
    host.close();
    assertThatThrownBy(host::links)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SIMULATION: rtnetlink session of /proc/self/ns/net closed");
  }
}
