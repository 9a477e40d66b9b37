package io.sriov.daemon.engine;

import static io.sriov.daemon.testing.NodeFixture.CX6;
import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.desired.InvalidNodeStateException;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.state.SyncStatus;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.daemon.testing.NodeFixture;
import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeEngineTest {
  @TempDir Path dir;
  NodeFixture f;
  NodeEngine engine;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    f = new NodeFixture(dir);
    engine =
        new NodeEngine(
            f.observer,
            f.validator,
            f.planner,
            f.applier,
            f.ownership,
            new StatusReporter(),
            meters);
  }

  @Test
  void planTouchesNothing() {
    var desired = SriovNetworkNodeState.of("n", spec(pf(E810_0, 6, group("r", "vfio-pci", "0-5"))));
    assertThat(engine.plan(desired).render())
        .startsWith("PF 0000:3b:00.0 (ens1f0): configure, 7 changes\n");
    assertThat(f.sysfsWrites).isEmpty();
    assertThat(f.observe().pf(E810_0).orElseThrow().numVfs()).isEqualTo(4);
    assertThatThrownBy(() -> engine.plan(SriovNetworkNodeState.of("n", spec(pf(E810_0, 99)))))
        .isInstanceOf(InvalidNodeStateException.class);
  }

  @Test
  void reconcileAppliesAndReportsAndASecondPassChangesNothing() {
    var desired = SriovNetworkNodeState.of("n", spec(pf(E810_0, 6, group("r", "vfio-pci", "0-5"))));
    NodeEngine.Pass pass = engine.reconcile(desired);
    assertThat(pass.succeeded()).isTrue();
    assertThat(pass.state().status().syncStatus()).isEqualTo("Succeeded");
    assertThat(pass.state().status().interfaces().get(0).numVfs()).isEqualTo(6);
    assertThat(pass.state().spec()).isEqualTo(desired.spec());
    assertThat(pass.desired().orElseThrow().pfs())
        .singleElement()
        .satisfies(pf -> assertThat(pf.pciAddress()).isEqualTo(E810_0));
    NodeEngine.Pass second = engine.reconcile(desired);
    assertThat(second.plan().orElseThrow().hasChanges()).isFalse();
    assertThat(second.state().status()).isEqualTo(pass.state().status());
  }

  @Test
  void aPassNamesTheVfsItRemovedOnPurposeAndNotTheOnesItRecreated() {
    // The fixture's PF starts with 4 VFs: 4 -> 6 is 0 then 6; the 4 come back with their address.
    var six = SriovNetworkNodeState.of("n", spec(pf(E810_0, 6, group("r", "vfio-pci", "0-5"))));
    NodeEngine.Pass more = engine.reconcile(six);
    assertThat(more.succeeded()).isTrue();
    assertThat(more.removedVfs()).isEmpty();
    var vfs = f.observe().pf(E810_0).orElseThrow().vfs();

    var two = SriovNetworkNodeState.of("n", spec(pf(E810_0, 2, group("r", "vfio-pci", "0-1"))));
    NodeEngine.Pass fewer = engine.reconcile(two);
    assertThat(fewer.succeeded()).isTrue();
    assertThat(fewer.removedVfs())
        .containsExactly(
            vfs.get(2).device().address(),
            vfs.get(3).device().address(),
            vfs.get(4).device().address(),
            vfs.get(5).device().address());
    // nothing re-created: nothing removed
    assertThat(engine.reconcile(two).removedVfs()).isEmpty();
  }

  @Test
  void invalidSpecChangesNothingAndFails() {
    NodeEngine.Pass pass = engine.reconcile(SriovNetworkNodeState.of("n", spec(pf(E810_0, 99))));
    assertThat(pass.succeeded()).isFalse();
    assertThat(pass.plan()).isEmpty();
    assertThat(pass.desired()).isEmpty();
    assertThat(pass.state().status().syncStatus()).isEqualTo("Failed");
    assertThat(pass.state().status().lastSyncError())
        .isEqualTo(
            "invalid SriovNetworkNodeState: spec.interfaces[0] 0000:3b:00.0: numVfs 99: above sriov_totalvfs 16");
    assertThat(pass.state().status().interfaces()).hasSize(4);
    assertThat(f.sysfsWrites).isEmpty();
  }

  @Test
  void passesAreTimedByResultWithVfsPerPf() throws Exception {
    assertThat(engine.passFinished()).isFalse();
    var desired =
        SriovNetworkNodeState.of("n", spec(pf(E810_0, 6, 9000, "", group("r", "vfio-pci", "0-5"))));
    assertThat(engine.reconcile(desired).succeeded()).isTrue();
    assertThat(engine.passFinished()).isTrue();
    assertThat(meters.get("sriov.apply.duration").tag("result", "succeeded").timer().count())
        .isEqualTo(1);
    assertThat(meters.get("sriov.apply.failing").gauge().value()).isZero();
    assertThat(meters.get("sriov.apply.vfs").tag("pf", "ens1f0").gauge().value()).isEqualTo(6);

    var more =
        SriovNetworkNodeState.of("n", spec(pf(E810_0, 8, 9000, "", group("r", "vfio-pci", "0-7"))));
    assertThat(engine.reconcile(more).succeeded()).isTrue();
    assertThat(meters.get("sriov.apply.duration").tag("result", "succeeded").timer().count())
        .isEqualTo(2);
    assertThat(meters.get("sriov.apply.vfs").tag("pf", "ens1f0").gauge().value()).isEqualTo(8);

    engine.reconcile(SriovNetworkNodeState.of("n", spec(pf(E810_0, 99))));
    assertThat(meters.get("sriov.apply.duration").tag("result", "rejected").timer().count())
        .isEqualTo(1);
    assertThat(meters.get("sriov.apply.failing").gauge().value()).isEqualTo(1);
  }

  @Test
  void observeTouchesNothingAndReportsTheNodeAsItIsInProgressWithTheReason() {
    var desired = SriovNetworkNodeState.of("n", spec(pf(E810_0, 6, group("r", "vfio-pci", "0-5"))));
    NodeEngine.Pass pass = engine.observe(desired, "waiting for the API server");
    assertThat(f.sysfsWrites).isEmpty();
    assertThat(f.ownershipFile).doesNotExist();
    assertThat(f.observe().pf(E810_0).orElseThrow().numVfs()).isEqualTo(4);
    assertThat(pass.deferred()).contains("waiting for the API server");
    assertThat(pass.report()).isEmpty();
    assertThat(pass.plan().orElseThrow().hasChanges()).isTrue();
    assertThat(pass.state().spec()).isEqualTo(desired.spec());
    assertThat(pass.state().status().syncStatus()).isEqualTo("InProgress");
    assertThat(pass.state().status().interfaces().get(0).numVfs()).isEqualTo(4);
    assertThat(engine.passFinished()).as("an observation is no apply pass").isFalse();

    NodeEngine.Pass rejected =
        engine.observe(SriovNetworkNodeState.of("n", spec(pf(E810_0, 99))), "x");
    assertThat(rejected.desired()).isEmpty();
    assertThat(rejected.state().status().syncStatus()).isEqualTo("Failed");
    assertThat(rejected.state().status().lastSyncError())
        .isEqualTo(
            "invalid SriovNetworkNodeState: spec.interfaces[0] 0000:3b:00.0: numVfs 99: above sriov_totalvfs 16");
    assertThat(f.sysfsWrites).isEmpty();
  }

  /** The fixture's discovery, counting the full walks ({@code discoverAll}). */
  private static final class CountingDiscovery implements DeviceDiscovery {
    final DeviceDiscovery d;
    final AtomicInteger walks = new AtomicInteger();

    CountingDiscovery(DeviceDiscovery d) {
      this.d = d;
    }

    @Override
    public Result discoverAll() {
      walks.incrementAndGet();
      return d.discoverAll();
    }

    @Override
    public Result discoverPf(PciAddress pf) {
      return d.discoverPf(pf);
    }
  }

  /**
   * The status of a pass that changed the node is built from what the apply verified, not from a
   * second walk of the node; it must still be exactly what the node shows: after each kind of
   * change (VF count with PF and VF MTUs and binds, rebinding existing VFs both ways, an eswitch
   * change, fewer VFs and a reset, a PF link someone else took down, a rollback) it equals the
   * status of a fresh observation, field by field. A fact the status took from the apply without
   * the apply having made and verified it (a stale driver, netdev, MTU, admin MAC, link state or VF
   * count) fails here.
   */
  @Test
  void theStatusAfterEveryKindOfApplyIsTheNodeWithoutASecondWalk() throws Exception {
    CountingDiscovery discovery = new CountingDiscovery(f.discovery);
    NodeObserver observer = new NodeObserver(discovery, f.rtnl.rtnl, f.devlink);
    NodeEngine counted =
        new NodeEngine(
            observer,
            f.validator,
            f.planner,
            new Applier(f.provisioner, f.rtnl.rtnl, f.devlink, observer, f.ownership, 2),
            f.ownership,
            new StatusReporter(),
            meters);
    StatusReporter reporter = new StatusReporter();

    NodeStateSpec grow =
        spec(
            pf(
                E810_0,
                6,
                9000,
                "",
                group("net", "netdevice", "0-3", 9000),
                group("dpdk", "vfio-pci", "4-5")),
            pf(E810_1, 2, group("net1", "netdevice", "0-1")),
            pf(CX6, 2, 0, "switchdev", group("cx", "netdevice", "0-1")));
    NodeStateSpec swapped =
        spec(
            pf(
                E810_0,
                6,
                9000,
                "",
                group("dpdk", "vfio-pci", "0-1"),
                group("net", "netdevice", "2-5", 1500)),
            pf(E810_1, 2, group("net1", "netdevice", "0-1")),
            pf(CX6, 2, 0, "legacy", group("cx", "netdevice", "0-1")));
    NodeStateSpec fewer = spec(pf(E810_0, 2, 9000, "", group("net", "netdevice", "0-1", 9000)));

    for (NodeStateSpec s : new NodeStateSpec[] {grow, swapped, fewer}) {
      int walks = discovery.walks.get();
      NodeEngine.Pass pass = counted.reconcile(SriovNetworkNodeState.of("n", s));
      assertThat(pass.succeeded()).as(pass.report().orElseThrow().render()).isTrue();
      assertThat(pass.report().orElseThrow().pfs())
          .as("every kind of change was applied")
          .anySatisfy(r -> assertThat(r.applied()).isNotEmpty());
      assertThat(discovery.walks.get() - walks).as("one walk: before the plan").isEqualTo(1);
      assertThat(pass.state().status().interfaces())
          .isEqualTo(
              reporter
                  .status(f.observe(), pass.desired().orElseThrow(), SyncStatus.SUCCEEDED, "")
                  .interfaces());
    }

    // someone else takes the PF link down: the pass brings it up and reports it up
    int ens1f0 = f.rtnl.rtnl.link("ens1f0").orElseThrow().index();
    f.node.rtnl().orElseThrow().setUp(ens1f0, false);
    NodeEngine.Pass up = counted.reconcile(SriovNetworkNodeState.of("n", fewer));
    assertThat(up.report().orElseThrow().pf(E810_0).orElseThrow().applied())
        .containsExactly("PF link down -> up");
    assertThat(up.state().status().interfaces())
        .isEqualTo(
            reporter
                .status(f.observe(), up.desired().orElseThrow(), SyncStatus.SUCCEEDED, "")
                .interfaces());

    // a bind that fails: the PF is rolled back, the status is the node as the rollback left it
    f.node
        .kernel()
        .injectFailure(
            f.node.root().pciDriverBind(DriverName.VFIO_PCI),
            f.observe().pf(E810_0).orElseThrow().vf(1).orElseThrow().device().address().toString(),
            Errno.EIO);
    NodeEngine.Pass failed =
        counted.reconcile(
            SriovNetworkNodeState.of("n", spec(pf(E810_0, 2, group("dpdk", "vfio-pci", "0-1")))));
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.state().status().interfaces())
        .isEqualTo(
            reporter
                .status(f.observe(), failed.desired().orElseThrow(), SyncStatus.FAILED, "")
                .interfaces());
  }
}
