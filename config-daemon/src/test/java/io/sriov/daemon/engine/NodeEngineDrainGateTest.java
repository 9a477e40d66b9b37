package io.sriov.daemon.engine;

import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.daemon.plan.DisruptedVf;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.daemon.testing.NodeFixture;
import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drain gate between plan and apply: asked only for disrupted VFs, defer, release. */
class NodeEngineDrainGateTest {
  @TempDir Path dir;
  NodeFixture f;
  NodeEngine engine;
  final List<String> events = new ArrayList<>();

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
            new SimpleMeterRegistry());
  }

  private DrainGate recording(DrainGate.Admission answer) {
    return vfs -> {
      events.add("admit " + vfs.stream().map(DisruptedVf::vf).toList());
      events.add("writes before admit " + f.sysfsWrites.size());
      return answer;
    };
  }

  @Test
  void aDeferredPlanChangesNothingAndEndsInProgressWithTheReason() {
    NodeEngine.Pass pass =
        engine.reconcile(
            SriovNetworkNodeState.of("n", spec(pf(E810_0, 6))),
            recording(new DrainGate.Admission.Deferred("pool default: 1 of 1 nodes draining (b)")));
    assertThat(events).containsExactly("admit [0, 1, 2, 3]", "writes before admit 0");
    assertThat(f.sysfsWrites).isEmpty();
    assertThat(pass.deferred()).contains("pool default: 1 of 1 nodes draining (b)");
    assertThat(pass.report()).isEmpty();
    assertThat(pass.plan()).isPresent();
    assertThat(pass.succeeded()).isFalse();
    assertThat(pass.state().status().syncStatus()).isEqualTo("InProgress");
    assertThat(pass.state().status().lastSyncError()).isEmpty();
    assertThat(f.observe().pf(E810_0).orElseThrow().numVfs()).isEqualTo(4);
  }

  @Test
  void anAdmittedPlanAppliesThenReleasesOnce() {
    NodeEngine.Pass pass =
        engine.reconcile(
            SriovNetworkNodeState.of("n", spec(pf(E810_0, 6))),
            recording(
                new DrainGate.Admission.Proceed(
                    () -> events.add("release after " + f.observe().pf(E810_0).get().numVfs()))));
    assertThat(events)
        .containsExactly("admit [0, 1, 2, 3]", "writes before admit 0", "release after 6");
    assertThat(pass.succeeded()).isTrue();
    assertThat(pass.deferred()).isEmpty();
  }

  @Test
  void aPlanDisruptingNoVfNeverAsksTheGate() {
    NodeEngine.Pass pass =
        engine.reconcile(
            SriovNetworkNodeState.of("n", spec(pf(E810_0, 4), pf(E810_1, 2))),
            vfs -> {
              throw new AssertionError("gate asked for " + vfs);
            });
    assertThat(pass.succeeded()).isTrue();
    assertThat(f.observe().pf(E810_1).orElseThrow().numVfs()).isEqualTo(2);
  }

  @Test
  void theReleaseRunsAfterAFailedApplyToo() {
    f.node
        .kernel()
        .injectFailure(f.node.root().pciAttribute(E810_0, "sriov_numvfs"), "6", Errno.ENOMEM);
    NodeEngine.Pass pass =
        engine.reconcile(
            SriovNetworkNodeState.of("n", spec(pf(E810_0, 6))),
            recording(new DrainGate.Admission.Proceed(() -> events.add("released"))));
    assertThat(pass.succeeded()).isFalse();
    assertThat(pass.state().status().syncStatus()).isEqualTo("Failed");
    assertThat(events).last().isEqualTo("released");
  }

  @Test
  void admissionsRejectNulls() {
    assertThatThrownBy(() -> new DrainGate.Admission.Deferred(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reason");
    assertThatThrownBy(() -> new DrainGate.Admission.Proceed(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("release");
  }
}
