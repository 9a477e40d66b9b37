package io.sriov.daemon.plan;

import static io.sriov.daemon.testing.NodeFixture.CX6;
import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.external;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.desired.VfDeviceType;
import io.sriov.daemon.observe.ObservedNode;
import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.ownership.OwnedPf;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.testing.NodeFixture;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.netlink.route.RtnlOperations;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every planner path on the simulated node. The node starts as the test topology says: ens1f0
 * (0000:3b:00.0) 4 VFs on iavf, ens1f1 none, ens2f0np0 (0000:af:00.0, devlink eswitch legacy) 2
 * VFs; every MTU 1500, every link up, no VF admin MAC set.
 */
class PlannerTest {
  @TempDir Path dir;
  NodeFixture f;

  @BeforeEach
  void setUp() {
    f = new NodeFixture(dir);
  }

  /** The simulated node's host namespace, changed by someone other than the daemon. */
  private RtnlOperations host() {
    return f.node.rtnl().orElseThrow();
  }

  /** {@code ip link set <name> down}. */
  private void setAdminDown(String name) throws NetlinkException {
    host().setUp(host().link(name).orElseThrow().index(), false);
  }

  private PfPlan only(NodeStateSpec spec) {
    NodePlan plan = f.plan(spec);
    assertThat(plan.pfs()).hasSize(1);
    return plan.pfs().get(0);
  }

  private NodePlan plan(NodeStateSpec spec, Map<PciAddress, OwnedPf> owned) {
    return f.planner.plan(f.validate(spec), f.observe(), owned);
  }

  @Test
  void newVfCountIsZeroThenNAndEveryGroupVfIsConfigured() {
    PfPlan p =
        only(
            spec(
                pf(
                    E810_0,
                    6,
                    9000,
                    "",
                    group("net", "netdevice", "0-3", 9000),
                    group("dpdk", "vfio-pci", "4-4"))));
    assertThat(p.action()).isEqualTo(PfPlan.Action.CONFIGURE);
    assertThat(p.steps())
        .containsExactly(
            new Step.SetPfMtu(1500, 9000, "spec mtu 9000 is above the PF's 1500"),
            new Step.SetNumVfs(
                4,
                6,
                "spec numVfs 6, the PF has 4 (via 0: the kernel cannot change a VF count in place)"),
            new Step.BindVfDriver(
                4,
                Optional.empty(),
                VfDeviceType.VFIO_PCI,
                "group dpdk (vfRange 4) wants vfio-pci"),
            new Step.SetVfMtu(0, OptionalInt.empty(), 9000, "group net (vfRange 0-3) mtu 9000"),
            new Step.SetVfMtu(1, OptionalInt.empty(), 9000, "group net (vfRange 0-3) mtu 9000"),
            new Step.SetVfMtu(2, OptionalInt.empty(), 9000, "group net (vfRange 0-3) mtu 9000"),
            new Step.SetVfMtu(3, OptionalInt.empty(), 9000, "group net (vfRange 0-3) mtu 9000"),
            new Step.PinVfMac(0, "new or rebound VF: pin its MAC so a VF driver reload keeps it"),
            new Step.PinVfMac(1, "new or rebound VF: pin its MAC so a VF driver reload keeps it"),
            new Step.PinVfMac(2, "new or rebound VF: pin its MAC so a VF driver reload keeps it"),
            new Step.PinVfMac(3, "new or rebound VF: pin its MAC so a VF driver reload keeps it"));
    // VF 5 is in no group: nothing planned for it
  }

  @Test
  void firstVfsOnAPfWithoutVfsAreNotDescribedAsViaZero() {
    PfPlan p = only(spec(pf(E810_1, 2)));
    assertThat(p.steps()).containsExactly(new Step.SetNumVfs(0, 2, "spec numVfs 2, the PF has 0"));
  }

  @Test
  void sameVfCountKeepsTheVfsAndOnlyChangesWhatDiffers() {
    PfPlan p =
        only(
            spec(
                pf(E810_0, 4, group("net", "netdevice", "0-1"), group("dpdk", "vfio-pci", "2-3"))));
    assertThat(p.steps())
        .containsExactly(
            new Step.BindVfDriver(
                2,
                Optional.of(DriverName.of("iavf")),
                VfDeviceType.VFIO_PCI,
                "group dpdk (vfRange 2-3) wants vfio-pci; VF is on iavf"),
            new Step.BindVfDriver(
                3,
                Optional.of(DriverName.of("iavf")),
                VfDeviceType.VFIO_PCI,
                "group dpdk (vfRange 2-3) wants vfio-pci; VF is on iavf"),
            new Step.PinVfMac(0, "admin MAC unset differs from the VF's MAC 02:00:3c:00:00:00"),
            new Step.PinVfMac(1, "admin MAC unset differs from the VF's MAC 02:00:3c:01:00:00"));
  }

  @Test
  void netdeviceGroupTakesVfsBackFromVfio() throws Exception {
    f.provisioner.bindDriver(PciAddress.parse("0000:3c:00.1"), DriverName.VFIO_PCI);
    f.provisioner.unbind(PciAddress.parse("0000:3c:00.2"));
    PfPlan p = only(spec(pf(E810_0, 4, group("net", "netdevice", "1-2", 1500))));
    assertThat(p.steps())
        .containsExactly(
            new Step.BindVfDriver(
                1,
                Optional.of(DriverName.VFIO_PCI),
                VfDeviceType.NETDEVICE,
                "group net (vfRange 1-2) wants the kernel VF driver; VF is on vfio-pci"),
            new Step.BindVfDriver(
                2,
                Optional.empty(),
                VfDeviceType.NETDEVICE,
                "group net (vfRange 1-2) wants the kernel VF driver; VF is unbound"),
            new Step.SetVfMtu(1, OptionalInt.empty(), 1500, "group net (vfRange 1-2) mtu 1500"),
            new Step.SetVfMtu(2, OptionalInt.empty(), 1500, "group net (vfRange 1-2) mtu 1500"),
            new Step.PinVfMac(1, "new or rebound VF: pin its MAC so a VF driver reload keeps it"),
            new Step.PinVfMac(2, "new or rebound VF: pin its MAC so a VF driver reload keeps it"));
  }

  @Test
  void pfMtuIsOnlyRaised() {
    assertThat(only(spec(pf(E810_1, 0, 1400, ""))).steps()).isEmpty();
    assertThat(only(spec(pf(E810_1, 0, 1500, ""))).steps()).isEmpty();
    assertThat(only(spec(pf(E810_1, 0, 1501, ""))).steps())
        .containsExactly(new Step.SetPfMtu(1500, 1501, "spec mtu 1501 is above the PF's 1500"));
  }

  @Test
  void vfMtuOnlyWhereItDiffers() throws Exception {
    host().setMtu(host().link("ens1f0v1").orElseThrow().index(), 1400);
    PfPlan p = only(spec(pf(E810_0, 4, group("net", "netdevice", "0-1", 1500))));
    assertThat(p.steps())
        .contains(
            new Step.SetVfMtu(1, OptionalInt.of(1400), 1500, "group net (vfRange 0-1) mtu 1500"))
        .doesNotContain(
            new Step.SetVfMtu(0, OptionalInt.of(1500), 1500, "group net (vfRange 0-1) mtu 1500"));
  }

  @Test
  void aVfWhoseNetdevAPodTookIsLeftAlone() throws Exception {
    var spec = spec(pf(E810_0, 4, group("net", "netdevice", "0-3", 1500)));
    f.applier.apply(f.plan(spec));
    Path pod = dir.resolve("netns-pod");
    f.node.network().createNamespace(pod);
    host().moveToNamespace(host().link("ens1f0v2").orElseThrow().index(), pod);
    assertThat(f.observe().pf(E810_0).orElseThrow().vf(2).orElseThrow().device().netdev())
        .isEmpty();
    assertThat(only(spec).steps()).as("the pod owns its MTU and MAC").isEmpty();
  }

  @Test
  void pfLinkDownIsBroughtUp() throws Exception {
    setAdminDown("ens1f1");
    assertThat(only(spec(pf(E810_1, 0))).steps())
        .containsExactly(new Step.SetPfUp("the PF is administratively down"));
  }

  @Test
  void thePfIsUpBeforeItsVfsAreCreated() throws Exception {
    // igb answers a new VF's reset handshake only while the PF is up (the e2e guest)
    setAdminDown("ens1f1");
    assertThat(only(spec(pf(E810_1, 2))).steps())
        .startsWith(
            new Step.SetPfUp("the PF is administratively down"),
            new Step.SetNumVfs(0, 2, "spec numVfs 2, the PF has 0"));
  }

  @Test
  void pinnedMacsAreLeftAlone() throws Exception {
    f.applier.apply(f.plan(spec(pf(E810_0, 4, group("net", "netdevice", "0-3")))));
    assertThat(only(spec(pf(E810_0, 4, group("net", "netdevice", "0-3")))).steps()).isEmpty();
  }

  @Test
  void eswitchModeChangeRecreatesTheVfs() {
    PfPlan p = only(spec(pf(CX6, 4, 0, "switchdev", group("sw", "netdevice", "0-0"))));
    assertThat(p.steps())
        .containsExactly(
            new Step.SetNumVfs(2, 0, "the eswitch mode changes only while the PF has no VFs"),
            new Step.SetEswitchMode(
                Optional.of(EswitchMode.LEGACY),
                EswitchMode.SWITCHDEV,
                "spec eSwitchMode switchdev, the PF is in legacy"),
            new Step.SetNumVfs(0, 4, "spec numVfs 4"),
            new Step.PinVfMac(0, "new or rebound VF: pin its MAC so a VF driver reload keeps it"));
    assertThat(only(spec(pf(CX6, 2, 0, "legacy"))).steps()).isEmpty();
  }

  @Test
  void switchdevOnADriverWithoutDevlinkEswitchFailsThePf() {
    PfPlan p = only(spec(pf(E810_1, 2, 0, "switchdev")));
    assertThat(p.failure())
        .contains("eSwitchMode switchdev: the PF's driver ice has no devlink eswitch");
    assertThat(p.steps()).isEmpty();
    // legacy is what a PF without devlink eswitch is in: nothing to do
    assertThat(only(spec(pf(E810_1, 0, 0, "legacy"))).steps()).isEmpty();
  }

  @Test
  void externallyManagedIsVerifiedAndItsPfNeverChanged() throws Exception {
    setAdminDown("ens1f0");
    PfPlan ok = only(spec(external(E810_0, 3, 1500, group("ext", "vfio-pci", "0-0"))));
    assertThat(ok.externallyManaged()).isTrue();
    assertThat(ok.steps())
        .containsExactly(
            new Step.BindVfDriver(
                0,
                Optional.of(DriverName.of("iavf")),
                VfDeviceType.VFIO_PCI,
                "group ext (vfRange 0) wants vfio-pci; VF is on iavf"));
    assertThat(only(spec(external(E810_0, 8, 0))).failure())
        .contains(
            "externallyManaged: numVfs 8 but the PF has 4 VFs (the daemon does not create VFs on an externally managed PF)");
    assertThat(only(spec(external(E810_0, 4, 9000))).failure())
        .contains(
            "externallyManaged: mtu 9000 is above the PF's MTU 1500 (the daemon does not change an externally managed PF)");
    var sw =
        new io.sriov.daemon.state.InterfaceSpec(
            CX6.toString(), 2, 0, "", "", "switchdev", List.of(), true);
    assertThat(only(spec(sw)).failure())
        .contains(
            "externallyManaged: eSwitchMode switchdev but the PF is in legacy (the daemon does not change an externally managed PF)");
  }

  @Test
  void droppedPfIsResetOnlyWhenOwned() throws Exception {
    host().setMtu(host().link("ens1f0").orElseThrow().index(), 9000);
    ObservedNode before = f.observe();
    // not ours: not in the plan at all
    assertThat(plan(spec(pf(E810_1, 0)), Map.of()).pfs())
        .extracting(p -> p.observed().address())
        .containsExactly(E810_1);
    // ours: reset to 0 VFs and the MTU it had before the daemon's first change
    NodePlan plan =
        plan(spec(pf(E810_1, 0)), Map.of(E810_0, new OwnedPf(E810_0, 1500, Optional.empty())));
    assertThat(plan.pfs()).hasSize(2);
    PfPlan reset = plan.pfs().get(1);
    assertThat(reset.action()).isEqualTo(PfPlan.Action.RESET);
    assertThat(reset.observed().address()).isEqualTo(E810_0);
    String why = "dropped from the desired state; configured by this daemon";
    assertThat(reset.steps())
        .containsExactly(
            new Step.SetNumVfs(4, 0, why),
            new Step.SetPfMtu(9000, 1500, why + ", back to the original"));
    assertThat(before.pf(E810_0).map(ObservedPf::numVfs)).contains(4);
  }

  @Test
  void ownedSwitchdevPfIsResetToItsOriginalEswitchMode() throws Exception {
    f.devlink.setEswitchMode(
        io.sriov.netlink.devlink.DevlinkHandle.pci(CX6), EswitchMode.SWITCHDEV);
    NodePlan plan =
        plan(spec(), Map.of(CX6, new OwnedPf(CX6, 1500, Optional.of(EswitchMode.LEGACY))));
    String why = "dropped from the desired state; configured by this daemon";
    assertThat(plan.pfs().get(0).steps())
        .containsExactly(
            new Step.SetNumVfs(2, 0, why),
            new Step.SetEswitchMode(
                Optional.of(EswitchMode.SWITCHDEV),
                EswitchMode.LEGACY,
                why + ", back to the original"));
  }

  @Test
  void ownedPfThatIsGoneIsNotPlanned() {
    PciAddress gone = PciAddress.parse("0000:99:00.0");
    assertThat(plan(spec(), Map.of(gone, new OwnedPf(gone, 1500, Optional.empty()))).pfs())
        .isEmpty();
  }

  @Test
  void unreadablePfFailsInsteadOfGuessing() {
    f.devlink.failNextGet(io.sriov.netlink.devlink.DevlinkHandle.pci(CX6), io.sriov.os.Errno.EIO);
    PfPlan p = only(spec(pf(CX6, 2)));
    assertThat(p.failure())
        .contains(
            "cannot read the PF: DEVLINK_CMD_ESWITCH_GET pci/0000:af:00.0: EIO (Input/output error)");
  }

  @Test
  void rendersThePlan() {
    NodePlan plan =
        f.plan(
            spec(
                pf(E810_1, 2, 9000, ""),
                external(E810_0, 8, 0),
                pf(CX6, 2, 0, "", group("r", "netdevice", "0-1"))));
    f.applier.apply(f.plan(spec(pf(CX6, 2, 0, "", group("r", "netdevice", "0-1")))));
    assertThat(plan.render())
        .isEqualTo(
            "PF 0000:3b:00.1 (ens1f1): configure, 2 changes\n"
                + "  PF mtu 1500 -> 9000: spec mtu 9000 is above the PF's 1500\n"
                + "  numVfs 0 -> 2: spec numVfs 2, the PF has 0\n"
                + "PF 0000:3b:00.0 (ens1f0): configure (externally managed), FAILS: externallyManaged: numVfs 8 but the PF has 4 VFs (the daemon does not create VFs on an externally managed PF)\n"
                + "PF 0000:af:00.0 (ens2f0np0): configure, 2 changes\n"
                + "  VF 0 admin MAC := its netdev MAC: admin MAC unset differs from the VF's MAC 02:00:b0:00:00:00\n"
                + "  VF 1 admin MAC := its netdev MAC: admin MAC unset differs from the VF's MAC 02:00:b0:01:00:00\n");
    assertThat(plan.hasChanges()).isTrue();
    NodePlan again = f.plan(spec(pf(CX6, 2, 0, "", group("r", "netdevice", "0-1"))));
    assertThat(again.hasChanges()).isFalse();
    assertThat(again.render()).isEqualTo("PF 0000:af:00.0 (ens2f0np0): configure, no changes\n");
    assertThat(new NodePlan(List.of()).render())
        .isEqualTo("no PFs in the desired state, none to reset\n");
  }
}
