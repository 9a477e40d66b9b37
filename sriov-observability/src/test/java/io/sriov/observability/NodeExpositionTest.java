package io.sriov.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.port.PodResources;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.route.VfStats;
import io.sriov.observability.pool.PoolSource;
import io.sriov.observability.testing.SimulatedCollectors;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The node metrics' exposition, byte for byte, against {@code exposition/node-metrics.prom}: the
 * text a scrape wrote before the scrape path was made cheaper. A faster scrape must not change what
 * Prometheus reads (names, label order, value formatting, series order, HELP and TYPE lines). On a
 * difference the scrape's text is left in {@code target/node-metrics.actual.prom}.
 */
class NodeExpositionTest {

  @Test
  void theNodeMetricsAreTheSameBytesAsBefore() throws IOException {
    Topology topology = Topology.scale(2, 24);
    List<PodResources.Assignment> assigned = new ArrayList<>();
    List<Set<String>> poolIds = List.of(new HashSet<>(), new HashSet<>());
    String text;
    try (SimulatedNode node = SimulatedNodes.open(topology);
        Observability obs = new Observability()) {
      for (int p = 0; p < 2; p++) {
        Topology.Pf pf = topology.pfs().get(p);
        for (int v = 0; v < 24; v++) {
          PciAddress vf = pf.vfAddress(v);
          // small, large (exponent notation), and counters past 2^53 (rounded as a double)
          long big = v % 3 == 0 ? 1L << (40 + v) : v * 1_000_003L;
          node.network()
              .setVfStats(
                  pf.address(), v, new VfStats(v, 2L * v, big, big + 7, 0, 0, v % 5, v % 7));
          poolIds.get(p).add(vf.toString());
          if (v % 4 != 3) { // some VFs free
            assigned.add(
                new PodResources.Assignment(
                    "ns-" + (v % 3),
                    "pod-" + p + "-" + (v / 2),
                    "c" + (v % 2),
                    "intel/pool" + p,
                    vf.toString()));
          }
        }
      }
      // a device of another resource plugin (not this node's): left out of the join
      assigned.add(new PodResources.Assignment("gpu", "g", "c", "nvidia.com/gpu", "0000:17:00.0"));
      List<PoolSource.Pool> pools =
          List.of(
              new PoolSource.Pool("intel/pool0", poolIds.get(0), 22),
              new PoolSource.Pool("intel/pool1", poolIds.get(1), 24));
      NodeCollector collector =
          SimulatedCollectors.of(node, () -> assigned, () -> pools, obs.registry());
      obs.collect(collector, Duration.ofMinutes(5));
      obs.scrape();
      text = nodeFamilies(obs.scrape());
    }
    String expected;
    try (InputStream in = getClass().getResourceAsStream("/exposition/node-metrics.prom")) {
      expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!text.equals(expected)) {
      Files.writeString(Path.of("target", "node-metrics.actual.prom"), text);
    }
    assertThat(text).isEqualTo(expected);
    assertThat(text.lines().filter(l -> l.startsWith("sriov_vf_rx_bytes{"))).hasSize(48);
    assertThat(text.lines().filter(l -> l.startsWith("sriov_kubepoddevice{"))).hasSize(36);
  }

  /** The lines of the node collector's families (HELP, TYPE, samples), in the scrape's order. */
  static String nodeFamilies(String exposition) {
    Set<String> names = Set.copyOf(NodeCollector.names());
    return exposition
        .lines()
        .filter(
            l -> {
              String s = l.startsWith("# HELP ") || l.startsWith("# TYPE ") ? l.substring(7) : l;
              return names.contains(s.split("[{ ]", 2)[0]);
            })
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
