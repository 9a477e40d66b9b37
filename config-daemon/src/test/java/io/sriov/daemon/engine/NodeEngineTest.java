package io.sriov.daemon.engine;

import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.daemon.desired.InvalidNodeStateException;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.daemon.testing.NodeFixture;
import java.nio.file.Path;
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
}
