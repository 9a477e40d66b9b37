package io.sriov.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.port.PodResources;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.route.VfStats;
import io.sriov.observability.pool.PoolSource;
import io.sriov.observability.vf.VfTraffic;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scrape-time node metrics on the SIMULATED node (its sysfs and rtnetlink). */
class NodeCollectorTest {
  static final PciAddress P0 = PciAddress.parse("0000:3b:00.0");
  SimulatedNode node;
  Observability obs;
  final AtomicReference<Object> pods = new AtomicReference<>(List.of());
  NodeCollector collector;

  @BeforeEach
  void open() throws IOException {
    node = SimulatedNodes.open(Topology.builtIn());
    obs = new Observability();
    PodResources podResources =
        () -> {
          Object p = pods.get();
          if (p instanceof IOException e) {
            throw e;
          }
          @SuppressWarnings("unchecked")
          List<PodResources.Assignment> list = (List<PodResources.Assignment>) p;
          return list;
        };
    PoolSource pools =
        () ->
            List.of(
                new PoolSource.Pool("openshift.io/a", Set.of("0000:3c:00.0", "0000:3c:00.1"), 1));
    collector =
        new NodeCollector(
            node.discovery(),
            new VfTraffic(node.rtnl().orElseThrow(), obs.registry()),
            podResources,
            pools,
            obs.registry());
    obs.collect(collector, java.time.Duration.ofMinutes(5));
  }

  @AfterEach
  void close() {
    obs.close();
    node.close();
  }

  @Test
  void perVfTrafficHasUpstreamsNamesAndLabels() {
    node.network().setVfStats(P0, 1, new VfStats(10, 20, 1000, 2000, 1, 2, 3, 4));
    String text = obs.scrape();
    String labels = "{numa_node=\"0\",pciAddr=\"0000:3c:00.1\",pf=\"ens1f0\",vf=\"1\"}";
    assertThat(text)
        .contains("# TYPE sriov_vf_rx_bytes untyped\n")
        .contains("sriov_vf_rx_bytes" + labels + " 1000.0\n")
        .contains("sriov_vf_tx_bytes" + labels + " 2000.0\n")
        .contains("sriov_vf_rx_packets" + labels + " 10.0\n")
        .contains("sriov_vf_tx_packets" + labels + " 20.0\n")
        .contains("sriov_vf_rx_dropped" + labels + " 3.0\n")
        .contains("sriov_vf_tx_dropped" + labels + " 4.0\n")
        .doesNotContain("sriov_vf_tx_errors");
    // the built-in topology's PFs with VFs and a netdev: 4 on ens1f0, 2 on the ConnectX-6
    assertThat(text.lines().filter(l -> l.startsWith("sriov_vf_rx_bytes{"))).hasSize(6);
  }

  @Test
  void podJoinKeepsOnlyThisNodesDevicesAndPoolsCountAllocated() {
    pods.set(
        List.of(
            new PodResources.Assignment("ns", "p", "c", "openshift.io/a", "0000:3c:00.1"),
            new PodResources.Assignment("ns", "gpu", "c", "nvidia.com/gpu", "0000:17:00.0")));
    String text = obs.scrape();
    assertThat(text)
        .contains(
            "sriov_kubepoddevice{container=\"c\",dev_type=\"openshift.io/a\",namespace=\"ns\","
                + "pciAddr=\"0000:3c:00.1\",pod=\"p\"} 1.0\n")
        .doesNotContain("0000:17:00.0")
        .contains("sriov_pool_capacity{resource=\"openshift.io/a\"} 2.0\n")
        .contains("sriov_pool_healthy{resource=\"openshift.io/a\"} 1.0\n")
        .contains("sriov_pool_allocated{resource=\"openshift.io/a\"} 1.0\n")
        .contains("sriov_podresources_errors_total 0.0\n");
  }

  @Test
  void unreadableKubeletLeavesThePodJoinOutAndCountsIt() {
    pods.set(new IOException("kubelet PodResources socket /x does not exist"));
    obs.scrape(); // the error counter is read before the node metrics: it shows next time
    String text = obs.scrape();
    assertThat(text)
        .doesNotContain("sriov_kubepoddevice{")
        .doesNotContain("sriov_pool_allocated{")
        .contains("sriov_pool_capacity{resource=\"openshift.io/a\"} 2.0\n")
        .contains("sriov_podresources_errors_total 1.0\n");
  }

  @Test
  void aPfThatCannotBeReadIsLeftOutAndCounted() throws Exception {
    var rtnl = node.rtnl().orElseThrow();
    int index = rtnl.link("ens1f0").orElseThrow().index();
    rtnl.setUp(index, false);
    rtnl.rename(index, io.sriov.core.value.InterfaceName.of("renamed0"));
    obs.scrape();
    String text = obs.scrape();
    assertThat(text).doesNotContain("pf=\"ens1f0\",").contains("pf=\"ens2f0np0\"");
    assertThat(text).contains("sriov_vf_stats_errors_total{pf=\"ens1f0\"} 2.0\n");
    collector.refreshInventory();
    assertThat(obs.scrape()).contains("pf=\"renamed0\"");
  }
}
