package io.sriov.daemon.engine;

import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.testing.NodeFixture;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.node.ForwardingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeEnginesTest {
  @TempDir Path dir;

  @Test
  void theEngineOnASimulatedNodeAppliesWithLegacyEswitchAndRecordsOwnershipInTheStateDir()
      throws IOException {
    NodeFixture f = new NodeFixture(dir);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    NodeEngine engine = NodeEngines.on(f.node, dir.resolve("engine-state"), 2, meters);

    var desired = SriovNetworkNodeState.of("n", spec(pf(E810_0, 6, group("r", "vfio-pci", "0-5"))));
    NodeEngine.Pass pass = engine.reconcile(desired);

    assertThat(pass.succeeded()).isTrue();
    assertThat(f.observe().pf(E810_0).orElseThrow().numVfs()).isEqualTo(6);
    // the simulated node has no devlink: every PF reports legacy
    assertThat(pass.state().status().interfaces())
        .allSatisfy(i -> assertThat(i.eSwitchMode()).isEqualTo("legacy"));
    assertThat(Files.readString(dir.resolve("engine-state").resolve(NodeEngines.OWNERSHIP_FILE)))
        .contains(E810_0.toString());
    assertThat(meters.get("sriov.apply.duration").tag("result", "succeeded").timer().count())
        .isEqualTo(1);
  }

  @Test
  void aNodeWithoutRtnetlinkIsRefusedNamingIt() {
    NodeFixture f = new NodeFixture(dir);
    var noRtnl =
        new ForwardingNode(f.node) {
          @Override
          public Optional<RtnlOperations> rtnl() {
            return Optional.empty();
          }
        };
    assertThatThrownBy(
            () -> NodeEngines.on(noRtnl, dir.resolve("engine-state"), 2, new SimpleMeterRegistry()))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "node "
                + f.node.label()
                + " has no rtnetlink: PF and VF link settings cannot be read or applied");
    assertThat(dir.resolve("engine-state")).doesNotExist();
  }
}
