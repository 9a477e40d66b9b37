package io.sriov.simulator;

import io.sriov.simulator.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens SIMULATED nodes in temp directories, as {@code --simulated-node[=FILE]} does: the tree is
 * generated under a new directory that closing the node removes.
 */
public final class SimulatedNodes {
  private static final Logger log = LoggerFactory.getLogger(SimulatedNodes.class);

  private SimulatedNodes() {}

  /**
   * The topology in {@code topologyFile}, or the built-in one when empty.
   *
   * @throws IOException when the file cannot be read or the tree cannot be written
   * @throws Topology.InvalidTopologyException when the file is not a valid topology
   */
  public static SimulatedNode open(Optional<Path> topologyFile) throws IOException {
    Topology topology =
        topologyFile.isPresent() ? Topology.load(topologyFile.get()) : Topology.builtIn();
    String source = topologyFile.map(Path::toString).orElse("built-in " + topology.name());
    return open(topology, source);
  }

  /** {@code topology}, generated in a temp directory. */
  public static SimulatedNode open(Topology topology) throws IOException {
    return open(topology, topology.name());
  }

  private static SimulatedNode open(Topology topology, String source) throws IOException {
    Path dir = Files.createTempDirectory("sriov-simulated-node-");
    try {
      return SimulatedNode.create(
          dir.resolve("root"),
          topology,
          "SIMULATED node (topology " + source + ", files under " + dir + ")",
          node -> deleteTree(dir));
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot remove simulated node dir={} error={}", dir, e.toString());
    }
  }
}
