package io.sriov.daemon.apply;

import static io.sriov.daemon.testing.NodeFixture.CX6;
import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.external;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.NetInterface;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.observe.ObservedVf;
import io.sriov.daemon.ownership.FileOwnershipStore;
import io.sriov.daemon.ownership.OwnedPf;
import io.sriov.daemon.plan.PfPlan;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.testing.NodeFixture;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apply, rollback, ownership and restart on the simulated node. */
class ApplierTest {
  private static final DriverName IAVF = DriverName.of("iavf");
  private static final DriverName MLX = DriverName.of("mlx5_core");

  @TempDir Path dir;
  NodeFixture f;

  /** ens1f0: 8 VFs, MTU 9000; VFs 0-5 netdevice MTU 9000, 6-7 vfio-pci. */
  static final NodeStateSpec TWO_GROUPS =
      spec(
          pf(
              E810_0,
              8,
              9000,
              "",
              group("net", "netdevice", "0-5", 9000),
              group("dpdk", "vfio-pci", "6-7")));

  @BeforeEach
  void setUp() {
    f = new NodeFixture(dir);
  }

  private static PciAddress vf(int index) {
    return PciAddress.parse("0000:3c:00." + index);
  }

  private ObservedPf observed(PciAddress a) {
    return f.observe().pf(a).orElseThrow();
  }

  private Map<Integer, Optional<DriverName>> drivers(PciAddress pf) {
    Map<Integer, Optional<DriverName>> out = new java.util.TreeMap<>();
    for (ObservedVf v : observed(pf).vfs()) {
      out.put(v.index(), v.device().driver());
    }
    return out;
  }

  private void assertE810AsBuilt() {
    ObservedPf p = observed(E810_0);
    assertThat(p.numVfs()).isEqualTo(4);
    assertThat(p.mtu()).contains(1500);
    assertThat(drivers(E810_0))
        .isEqualTo(
            Map.of(
                0,
                Optional.of(IAVF),
                1,
                Optional.of(IAVF),
                2,
                Optional.of(IAVF),
                3,
                Optional.of(IAVF)));
    assertThat(p.vfs()).allSatisfy(v -> assertThat(v.adminMac()).isEmpty());
  }

  @Test
  void appliesVfCountDriversMtusMacsAndEswitch() throws Exception {
    ApplyReport report =
        f.apply(
            spec(
                TWO_GROUPS.interfaces().get(0),
                pf(CX6, 4, 0, "switchdev", group("sw", "netdevice", "0-3"))));
    assertThat(report.succeeded()).isTrue();
    assertThat(report.pfs())
        .extracting(PfResult::outcome)
        .containsExactly(PfResult.Outcome.APPLIED, PfResult.Outcome.APPLIED);
    assertThat(report.pf(E810_0).orElseThrow().applied())
        .hasSize(16)
        .startsWith("PF mtu 1500 -> 9000", "numVfs 4 -> 8", "VF 6 driver none -> vfio-pci");
    assertThat(report.render())
        .isEqualTo(
            "PF 0000:3b:00.0 (ens1f0): applied 16 changes\n"
                + "PF 0000:af:00.0 (ens2f0np0): applied 7 changes\n");

    ObservedPf e810 = observed(E810_0);
    assertThat(e810.numVfs()).isEqualTo(8);
    assertThat(e810.mtu()).contains(9000);
    for (int i = 0; i < 8; i++) {
      ObservedVf v = e810.vf(i).orElseThrow();
      if (i < 6) {
        assertThat(v.device().driver()).contains(IAVF);
        assertThat(v.device().netdev().map(NetInterface::mtu)).contains(9000);
        assertThat(v.adminMac()).isPresent().isEqualTo(v.effectiveMac());
      } else {
        assertThat(v.device().driver()).contains(DriverName.VFIO_PCI);
        assertThat(v.device().netdev()).isEmpty();
        assertThat(v.adminMac()).isEmpty();
      }
    }
    ObservedPf cx6 = observed(CX6);
    assertThat(cx6.numVfs()).isEqualTo(4);
    assertThat(cx6.eswitchMode()).contains(EswitchMode.SWITCHDEV);
    assertThat(f.devlink.changes()).containsExactly("setEswitchMode pci/0000:af:00.0 SWITCHDEV");
    assertThat(f.ownership.owned())
        .containsOnly(
            Map.entry(E810_0, new OwnedPf(E810_0, 1500, Optional.empty())),
            Map.entry(CX6, new OwnedPf(CX6, 1500, Optional.of(EswitchMode.LEGACY))));
  }

  @Test
  void restartWithTheSameStateChangesNothing() throws Exception {
    assertThat(f.apply(TWO_GROUPS).succeeded()).isTrue();
    List<String> vfNetdevs =
        observed(E810_0).vfs().stream()
            .map(v -> v.device().address() + "=" + v.device().netdev().map(n -> n.name()))
            .toList();
    Map<Integer, Optional<MacAddress>> macs = new java.util.TreeMap<>();
    observed(E810_0).vfs().forEach(v -> macs.put(v.index(), v.adminMac()));

    NodeFixture restarted = f.restart();
    assertThat(restarted.plan(TWO_GROUPS).hasChanges()).isFalse();
    ApplyReport again = restarted.apply(TWO_GROUPS);
    assertThat(again.pfs()).extracting(PfResult::outcome).containsOnly(PfResult.Outcome.UNCHANGED);
    assertThat(restarted.rtnl.changes()).isEmpty();
    assertThat(restarted.sysfsWrites).isEmpty();
    assertThat(restarted.devlink.changes()).isEmpty();
    // the VFs kept their identity: same addresses, same netdevs, same pinned MACs
    assertThat(
            restarted.observe().pf(E810_0).orElseThrow().vfs().stream()
                .map(v -> v.device().address() + "=" + v.device().netdev().map(n -> n.name()))
                .toList())
        .isEqualTo(vfNetdevs);
    Map<Integer, Optional<MacAddress>> after = new java.util.TreeMap<>();
    restarted
        .observe()
        .pf(E810_0)
        .orElseThrow()
        .vfs()
        .forEach(v -> after.put(v.index(), v.adminMac()));
    assertThat(after).isEqualTo(macs);
  }

  @Test
  void crashMidApplyThenRestartConverges() throws Exception {
    // kill -9 between "echo 0" and "echo 8": the PF is claimed, its MTU raised (the PF's own steps
    // come first) and it has no VFs
    f.ownership.put(new OwnedPf(E810_0, 1500, Optional.empty()));
    var host = f.node.rtnl().orElseThrow();
    host.setMtu(host.link("ens1f0").orElseThrow().index(), 9000);
    f.provisioner.setNumVfs(E810_0, 0);
    NodeFixture restarted = f.restart();
    ApplyReport report = restarted.apply(TWO_GROUPS);
    assertThat(report.succeeded()).isTrue();
    assertThat(report.pf(E810_0).orElseThrow().applied()).startsWith("numVfs 0 -> 8");
    assertThat(restarted.observe().pf(E810_0).orElseThrow().numVfs()).isEqualTo(8);
    assertThat(restarted.ownership.owned().get(E810_0))
        .isEqualTo(new OwnedPf(E810_0, 1500, Optional.empty()));
    assertThat(restarted.restart().plan(TWO_GROUPS).hasChanges()).isFalse();
  }

  @Test
  void failedDriverBindRollsThePfBackAndTheOtherPfStillApplies() throws Exception {
    f.node
        .kernel()
        .injectFailure(
            f.node.root().pciDriverBind(DriverName.VFIO_PCI), vf(7).toString(), Errno.EIO);
    ApplyReport report = f.apply(spec(TWO_GROUPS.interfaces().get(0), pf(E810_1, 2)));
    assertThat(report.succeeded()).isFalse();

    PfResult failed = report.pf(E810_0).orElseThrow();
    assertThat(failed.outcome()).isEqualTo(PfResult.Outcome.ROLLED_BACK);
    assertThat(failed.failure().orElseThrow().step()).contains("VF 7 driver none -> vfio-pci");
    assertThat(failed.failure().orElseThrow().errno()).contains("EIO");
    assertThat(failed.failure().orElseThrow().message())
        .startsWith("bind vfio-pci for 0000:3c:00.7: EIO (Input/output error)");
    assertThat(failed.applied())
        .containsExactly("PF mtu 1500 -> 9000", "numVfs 4 -> 8", "VF 6 driver none -> vfio-pci");
    assertThat(failed.rollbackProblems()).isEmpty();
    assertE810AsBuilt();

    PfResult other = report.pf(E810_1).orElseThrow();
    assertThat(other.outcome()).isEqualTo(PfResult.Outcome.APPLIED);
    assertThat(observed(E810_1).numVfs()).isEqualTo(2);

    assertThat(report.errorSummary())
        .startsWith(
            "0000:3b:00.0: VF 7 driver none -> vfio-pci: EIO: bind vfio-pci for 0000:3c:00.7: EIO");
    assertThat(report.render())
        .startsWith(
            "PF 0000:3b:00.0 (ens1f0): FAILED at VF 7 driver none -> vfio-pci: EIO: bind vfio-pci")
        .endsWith("; rolled back (3 steps undone)\nPF 0000:3b:00.1 (ens1f1): applied 1 change\n");
    // the PF claimed by this apply and rolled back is not recorded as ours
    assertThat(f.ownership.owned().keySet()).containsExactly(E810_1);
  }

  @Test
  void failedNetlinkStepUndoesMacsMtusDriversAndVfCount() throws Exception {
    // ice accepts any unicast VF MAC: once the VFs' MTUs are set (their netdevs exist), the driver
    // is told to refuse VF 3's own MAC. The batched pin of VFs 0-5 stops at VF 3 as the kernel's
    // do_setlink does (VFs 0-2 set); the per-VF retry names VF 3 and its errno.
    int pf = f.node.rtnl().orElseThrow().link("ens1f0").orElseThrow().index();
    Map<Integer, MacAddress> macs = new java.util.HashMap<>();
    f.rtnl.afterNext(
        "setMtu ens1f0v5 ",
        () -> {
          for (int i = 0; i < 6; i++) {
            macs.put(i, netdevMac("ens1f0v" + i));
          }
          f.node.network().refuseVfMac(E810_0, 3, macs.get(3), Errno.EINVAL);
        });
    ApplyReport report = f.apply(TWO_GROUPS);
    PfResult failed = report.pf(E810_0).orElseThrow();
    assertThat(failed.outcome()).isEqualTo(PfResult.Outcome.ROLLED_BACK);
    assertThat(failed.failure().orElseThrow().describe())
        .isEqualTo(
            "VF 3 admin MAC := its netdev MAC: EINVAL: RTM_SETLINK PF ifindex "
                + pf
                + " vf 3: EINVAL (Invalid argument)");
    assertThat(failed.applied())
        .hasSize(13)
        .endsWith(
            "VF 0 admin MAC := its netdev MAC",
            "VF 1 admin MAC := its netdev MAC",
            "VF 2 admin MAC := its netdev MAC");
    assertThat(failed.rollbackProblems()).isEmpty();
    assertE810AsBuilt();
    // the batch failed (not recorded), VFs 0-2 one by one, VF 3 refused; undo order: the batch's
    // MACs (all six VFs, in one request), VF MTUs, drivers, VF count, PF MTU, newest first
    String zero = " mac 00:00:00:00:00:00";
    List<String> changes = f.rtnl.changes();
    assertThat(changes.subList(changes.size() - 11, changes.size()))
        .containsExactly(
            "setVf ens1f0 vf 0 mac " + macs.get(0),
            "setVf ens1f0 vf 1 mac " + macs.get(1),
            "setVf ens1f0 vf 2 mac " + macs.get(2),
            "setVfs ens1f0 vf 0"
                + zero
                + ", vf 1"
                + zero
                + ", vf 2"
                + zero
                + ", vf 3"
                + zero
                + ", vf 4"
                + zero
                + ", vf 5"
                + zero,
            "setMtu ens1f0v5 1500",
            "setMtu ens1f0v4 1500",
            "setMtu ens1f0v3 1500",
            "setMtu ens1f0v2 1500",
            "setMtu ens1f0v1 1500",
            "setMtu ens1f0v0 1500",
            "setMtu ens1f0 1500");
  }

  @Test
  void aFailedBatchedUndoOfThePinsIsRetriedOneVfAtATime() throws Exception {
    int pf = f.node.rtnl().orElseThrow().link("ens1f0").orElseThrow().index();
    f.rtnl.afterNext(
        "setMtu ens1f0v5 ",
        () -> f.node.network().refuseVfMac(E810_0, 3, netdevMac("ens1f0v3"), Errno.EINVAL));
    f.rtnl.failNext(
        "setVfs ens1f0 vf 0 mac 00:00:00:00:00:00",
        new ErrnoException("RTM_SETLINK PF ifindex " + pf + " vfs 0-5", Errno.EBUSY));
    PfResult failed = f.apply(TWO_GROUPS).pf(E810_0).orElseThrow();
    assertThat(failed.outcome()).isEqualTo(PfResult.Outcome.ROLLED_BACK);
    assertThat(failed.rollbackProblems()).isEmpty();
    assertE810AsBuilt();
    List<String> changes = f.rtnl.changes();
    assertThat(changes.subList(changes.size() - 13, changes.size() - 6))
        .containsExactly(
            "setVf ens1f0 vf 0 mac 00:00:00:00:00:00",
            "setVf ens1f0 vf 1 mac 00:00:00:00:00:00",
            "setVf ens1f0 vf 2 mac 00:00:00:00:00:00",
            "setVf ens1f0 vf 3 mac 00:00:00:00:00:00",
            "setVf ens1f0 vf 4 mac 00:00:00:00:00:00",
            "setVf ens1f0 vf 5 mac 00:00:00:00:00:00",
            "setMtu ens1f0v5 1500");
  }

  @Test
  void aPfsVfMacsArePinnedInOneRequest() throws Exception {
    ApplyReport report = f.apply(TWO_GROUPS);
    assertThat(report.succeeded()).isTrue();
    List<String> pins = f.rtnl.changes().stream().filter(c -> c.startsWith("setVf")).toList();
    assertThat(pins).hasSize(1);
    assertThat(pins.get(0)).startsWith("setVfs ens1f0 vf 0 mac ").contains(", vf 5 mac ");
    assertThat(report.pf(E810_0).orElseThrow().applied())
        .contains("VF 0 admin MAC := its netdev MAC", "VF 5 admin MAC := its netdev MAC");
    for (int i = 0; i < 6; i++) {
      assertThat(observed(E810_0).vf(i).orElseThrow().adminMac())
          .contains(netdevMac("ens1f0v" + i));
    }
  }

  @Test
  void aFailedBatchOfPinsIsRetriedOneVfAtATime() throws Exception {
    int pf = f.node.rtnl().orElseThrow().link("ens1f0").orElseThrow().index();
    f.rtnl.failNext(
        "setVfs ens1f0 vf 0 mac ",
        new ErrnoException("RTM_SETLINK PF ifindex " + pf + " vfs 0-5", Errno.EBUSY));
    ApplyReport report = f.apply(TWO_GROUPS);
    assertThat(report.succeeded()).isTrue();
    List<String> pins = f.rtnl.changes().stream().filter(c -> c.startsWith("setVf")).toList();
    assertThat(pins).hasSize(6).allSatisfy(c -> assertThat(c).startsWith("setVf ens1f0 vf "));
    for (int i = 0; i < 6; i++) {
      assertThat(observed(E810_0).vf(i).orElseThrow().adminMac())
          .contains(netdevMac("ens1f0v" + i));
    }
  }

  private MacAddress netdevMac(String name) {
    try {
      return f.node.rtnl().orElseThrow().link(name).orElseThrow().mac().orElseThrow();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void failedSecondNumVfsWriteRestoresTheOriginalVfsAndTheirDrivers() throws Exception {
    f.provisioner.bindDriver(vf(1), DriverName.VFIO_PCI);
    f.node
        .kernel()
        .injectFailure(f.node.root().pciAttribute(E810_0, "sriov_numvfs"), "8", Errno.ENOMEM);
    ApplyReport report = f.apply(TWO_GROUPS);
    PfResult failed = report.pf(E810_0).orElseThrow();
    assertThat(failed.outcome()).isEqualTo(PfResult.Outcome.ROLLED_BACK);
    assertThat(failed.failure().orElseThrow().step()).contains("numVfs 4 -> 8");
    assertThat(failed.failure().orElseThrow().errno()).contains("ENOMEM");
    assertThat(failed.failure().orElseThrow().message())
        .isEqualTo(
            "write sriov_numvfs=8 for 0000:3b:00.0: ENOMEM (Cannot allocate memory): the PF now has 0 VFs");
    assertThat(observed(E810_0).numVfs()).isEqualTo(4);
    assertThat(drivers(E810_0))
        .isEqualTo(
            Map.of(
                0,
                Optional.of(IAVF),
                1,
                Optional.of(DriverName.VFIO_PCI),
                2,
                Optional.of(IAVF),
                3,
                Optional.of(IAVF)));
  }

  @Test
  void failedEswitchChangeRestoresTheVfs() throws Exception {
    f.devlink.failNextSet(io.sriov.os.Errno.EBUSY);
    ApplyReport report = f.apply(spec(pf(CX6, 4, 0, "switchdev")));
    PfResult failed = report.pf(CX6).orElseThrow();
    assertThat(failed.outcome()).isEqualTo(PfResult.Outcome.ROLLED_BACK);
    assertThat(failed.failure().orElseThrow().describe())
        .isEqualTo(
            "eSwitchMode legacy -> switchdev: EBUSY: DEVLINK_CMD_ESWITCH_SET pci/0000:af:00.0: EBUSY (Device or resource busy)");
    ObservedPf cx6 = observed(CX6);
    assertThat(cx6.numVfs()).isEqualTo(2);
    assertThat(cx6.eswitchMode()).contains(EswitchMode.LEGACY);
    assertThat(drivers(CX6)).isEqualTo(Map.of(0, Optional.of(MLX), 1, Optional.of(MLX)));
  }

  @Test
  void unexpectedErrorInAStepStillRollsThePfBack() throws Exception {
    f.rtnl.failNext("setMtu ens1f0v0 ", new IllegalStateException("injected"));
    PfResult failed = f.apply(TWO_GROUPS).pf(E810_0).orElseThrow();
    assertThat(failed.outcome()).isEqualTo(PfResult.Outcome.ROLLED_BACK);
    assertThat(failed.failure().orElseThrow().describe())
        .isEqualTo(
            "VF 0 mtu (new) -> 9000: unexpected error: java.lang.IllegalStateException: injected");
    assertE810AsBuilt();
  }

  @Test
  void undoThatFailsTooIsReported() throws Exception {
    f.node
        .kernel()
        .injectFailure(
            f.node.root().pciDriverBind(DriverName.VFIO_PCI), vf(6).toString(), Errno.EIO);
    f.node
        .kernel()
        .injectFailure(f.node.root().pciAttribute(E810_0, "sriov_numvfs"), "4", Errno.EBUSY);
    PfResult failed = f.apply(TWO_GROUPS).pf(E810_0).orElseThrow();
    assertThat(failed.outcome()).isEqualTo(PfResult.Outcome.ROLLBACK_FAILED);
    assertThat(failed.rollbackProblems())
        .containsExactly(
            "numVfs back to 4: write sriov_numvfs=4 for 0000:3b:00.0: EBUSY (Device or resource busy): the PF now has 0 VFs");
    // still recorded as ours: the PF is part-way and a later reset must be able to clean it
    assertThat(f.ownership.owned()).containsKey(E810_0);
  }

  @Test
  void pfNotOursIsNeverTouched() throws Exception {
    f.provisioner.setNumVfs(E810_1, 3); // configured by someone else
    List<String> before = f.sysfsWrites;
    assertThat(f.apply(TWO_GROUPS).succeeded()).isTrue();
    assertThat(f.apply(spec()).succeeded()).isTrue(); // E810_0 dropped: it is ours, reset
    assertThat(observed(E810_1).numVfs()).isEqualTo(3);
    assertThat(f.sysfsWrites.subList(before.size(), f.sysfsWrites.size()))
        .noneMatch(w -> w.contains("0000:3b:00.1") || w.contains("0000:3d:"));
    assertThat(f.rtnl.changes()).noneMatch(c -> c.contains("ens1f1"));
  }

  @Test
  void droppedOwnedPfIsResetToItsOriginalState() throws Exception {
    assertThat(f.apply(TWO_GROUPS).succeeded()).isTrue();
    ApplyReport reset = f.apply(spec());
    assertThat(reset.render()).isEqualTo("PF 0000:3b:00.0 (ens1f0): reset, 2 changes\n");
    assertThat(reset.pf(E810_0).orElseThrow().applied())
        .containsExactly("numVfs 8 -> 0", "PF mtu 9000 -> 1500");
    assertThat(observed(E810_0).numVfs()).isZero();
    assertThat(observed(E810_0).mtu()).contains(1500);
    assertThat(f.ownership.owned()).isEmpty();
    assertThat(f.plan(spec()).pfs()).isEmpty();
  }

  @Test
  void externallyManagedPfIsNeverRecordedNorReset() throws Exception {
    ApplyReport report = f.apply(spec(external(E810_0, 4, 0, group("ext", "vfio-pci", "3-3"))));
    assertThat(report.succeeded()).isTrue();
    assertThat(drivers(E810_0).get(3)).contains(DriverName.VFIO_PCI);
    assertThat(f.ownership.owned()).isEmpty();
    assertThat(f.plan(spec()).pfs()).isEmpty();
    assertThat(observed(E810_0).numVfs()).isEqualTo(4);
  }

  @Test
  void pfDeclaredExternallyManagedIsGivenUpAndNotResetLater() throws Exception {
    assertThat(f.apply(TWO_GROUPS).succeeded()).isTrue();
    assertThat(f.ownership.owned()).containsKey(E810_0);
    assertThat(f.apply(spec(external(E810_0, 8, 0))).succeeded()).isTrue();
    assertThat(f.ownership.owned()).isEmpty();
    assertThat(f.plan(spec()).pfs()).isEmpty();
    assertThat(observed(E810_0).numVfs()).isEqualTo(8);
  }

  @Test
  void externallyManagedPfWithTooFewVfsFailsWhileTheOtherApplies() {
    ApplyReport report = f.apply(spec(external(E810_0, 8, 0), pf(E810_1, 2)));
    PfResult rejected = report.pf(E810_0).orElseThrow();
    assertThat(rejected.outcome()).isEqualTo(PfResult.Outcome.REJECTED);
    assertThat(report.errorSummary())
        .isEqualTo(
            "0000:3b:00.0: externallyManaged: numVfs 8 but the PF has 4 VFs (the daemon does not create VFs on an externally managed PF)");
    assertThat(report.pf(E810_1).orElseThrow().outcome()).isEqualTo(PfResult.Outcome.APPLIED);
    assertThat(observed(E810_0).numVfs()).isEqualTo(4);
  }

  @Test
  void pfIsNotTouchedWhenItCannotBeRecordedAsOurs() {
    FileOwnershipStore broken =
        new FileOwnershipStore(
            dir.resolve("state/owned-pfs.json"),
            (target, bytes) -> {
              throw new io.sriov.os.SyscallException("write " + target, Errno.ENOSPC);
            });
    Applier applier = new Applier(f.provisioner, f.rtnl.rtnl, f.devlink, f.observer, broken, 2);
    ApplyReport report = applier.apply(f.plan(TWO_GROUPS));
    PfResult r = report.pf(E810_0).orElseThrow();
    assertThat(r.outcome()).isEqualTo(PfResult.Outcome.REJECTED);
    assertThat(r.failure().orElseThrow().describe())
        .isEqualTo(
            "ENOSPC: recording the PF as configured by this daemon failed: write "
                + dir.resolve("state/owned-pfs.json")
                + ": ENOSPC (No space left on device)");
    assertThat(f.sysfsWrites).isEmpty();
    assertE810AsBuilt();
  }

  @Test
  void unreadableOwnershipRecordRefusesEveryPf() throws Exception {
    java.nio.file.Files.createDirectories(f.ownershipFile.getParent());
    java.nio.file.Files.writeString(f.ownershipFile, "{not json");
    ApplyReport report =
        f.applier.apply(f.planner.plan(f.validate(TWO_GROUPS), f.observe(), Map.of()));
    assertThat(report.pfs())
        .extracting(PfResult::outcome)
        .containsExactly(PfResult.Outcome.REJECTED);
    assertThat(report.errorSummary())
        .startsWith(
            "0000:3b:00.0: reading the ownership record failed: ownership record "
                + f.ownershipFile
                + " is malformed: not JSON: ");
    assertThat(f.sysfsWrites).isEmpty();
  }

  @Test
  void parallelismMustBePositive() {
    assertThatThrownBy(
            () -> new Applier(f.provisioner, f.rtnl.rtnl, f.devlink, f.observer, f.ownership, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallelism must be at least 1: 0");
    assertThat(f.applier.apply(new io.sriov.daemon.plan.NodePlan(List.of())).render())
        .isEqualTo("nothing to apply\n");
    assertThat(PfPlan.Action.values()).hasSize(2);
  }
}
