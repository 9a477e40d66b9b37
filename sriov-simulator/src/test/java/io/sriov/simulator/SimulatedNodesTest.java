package io.sriov.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.route.RtnlOperations;
import io.sriov.node.DefaultRouteLinks;
import io.sriov.simulator.topology.Topology;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated node as a {@code Node}: what it offers, and what closing it releases. */
class SimulatedNodesTest {
  @TempDir Path tmp;

  @Test
  void builtInNodeInATempDirOffersTheSimulatedKernelAndIsRemovedAtClose() throws Exception {
    SimulatedNode node = SimulatedNodes.open(Optional.empty());
    Path sys = node.root().sys();
    assertThat(node.label())
        .startsWith("SIMULATED node (topology built-in builtin-server, files under ")
        .endsWith(sys.getParent().getParent() + ")");
    assertThat(node.simulated()).isTrue();
    assertThat(Files.isRegularFile(sys.resolve("SIMULATION"))).isTrue();
    assertThat(node.discovery().discoverAll().devices()).isNotEmpty();
    assertThat(node.sysfsWriter()).isSameAs(node.kernel());
    assertThat(node.links().orElseThrow()).isSameAs(node.links().orElseThrow());
    assertThat(node.deviceEvents().orElseThrow()).isSameAs(node.deviceEvents().orElseThrow());
    assertThat(node.defaultRouteEvents()).isEmpty();
    assertThat(node.defaultRouteLinks()).isSameAs(DefaultRouteLinks.NONE);
    assertThat(node.devlink()).isEmpty();
    RtnlOperations rtnl = node.rtnl().orElseThrow();
    assertThat(node.rtnl()).containsSame(rtnl);
    assertThat(node.rtnlNamespaces()).containsSame(node.network());
    assertThat(rtnl.link("ens1f0")).isPresent();

    node.close();
    node.close();
    assertThatThrownBy(() -> rtnl.link("ens1f0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SIMULATION: rtnetlink session of /proc/self/ns/net closed");
    assertThat(sys.getParent().getParent()).doesNotExist();
    assertThatThrownBy(node::links)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SIMULATION: " + node.label() + " is closed");
  }

  @Test
  void topologyFileNamesTheNodeAndAMissingFileIsAnError() throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("lab.yaml"),
            """
            name: lab
            pfs:
              - address: "0000:3b:00.0"
                vendor: "8086"
                device: "159b"
                vfDevice: "1889"
                driver: ice
                vfDriver: iavf
                totalVfs: 8
                numVfs: 2
                netdev: ens1f0
            """);
    try (SimulatedNode node = SimulatedNodes.open(Optional.of(file))) {
      assertThat(node.label()).startsWith("SIMULATED node (topology " + file + ", files under ");
      assertThat(node.discovery().discoverAll().devices()).hasSize(3);
      assertThat(node.rtnl().orElseThrow().link("ens1f0v1")).isPresent();
    }
    Path missing = tmp.resolve("missing.yaml");
    assertThatThrownBy(() -> SimulatedNodes.open(Optional.of(missing)))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(missing.toString());
  }

  @Test
  void aNodeInTheCallersDirectoryLeavesItThereAtClose() throws Exception {
    Path dir = tmp.resolve("node");
    SimulatedNode node = SimulatedNode.create(dir, Topology.builtIn());
    assertThat(node.label())
        .isEqualTo("SIMULATED node (topology builtin-server, files under " + dir + ")");
    node.links();
    node.close();
    assertThat(dir.resolve("sys/SIMULATION")).exists();
  }
}
