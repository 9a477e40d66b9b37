package io.sriov.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.route.RtnlOperations;
import io.sriov.node.DefaultRouteLinks;
import io.sriov.simulator.topology.Topology;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated node as a {@code Node}: what it offers, and what closing it releases. */
class SimulatedNodesTest {
  @TempDir Path tmp;

  /** An rtnetlink that only counts close() calls (the node must close what it was handed). */
  private static RtnlOperations countingClose(AtomicInteger closes) {
    return (RtnlOperations)
        Proxy.newProxyInstance(
            RtnlOperations.class.getClassLoader(),
            new Class<?>[] {RtnlOperations.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                closes.incrementAndGet();
                return null;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void builtInNodeInATempDirOffersTheSimulatedKernelAndIsRemovedAtClose() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    RtnlOperations rtnl = countingClose(closes);
    SimulatedNode node = SimulatedNodes.open(Optional.empty(), Optional.of(rtnl));
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
    assertThat(node.rtnl()).containsSame(rtnl);

    node.close();
    node.close();
    assertThat(closes).hasValue(1);
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
    try (SimulatedNode node = SimulatedNodes.open(Optional.of(file), Optional.empty())) {
      assertThat(node.label()).startsWith("SIMULATED node (topology " + file + ", files under ");
      assertThat(node.discovery().discoverAll().devices()).hasSize(3);
      assertThat(node.rtnl()).isEmpty();
    }
    Path missing = tmp.resolve("missing.yaml");
    assertThatThrownBy(() -> SimulatedNodes.open(Optional.of(missing), Optional.empty()))
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
