package io.sriov.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.port.PodResources;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.LinkStats;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfStats;
import io.sriov.observability.pool.PoolSource;
import io.sriov.observability.testing.SimulatedCollectors;
import io.sriov.observability.vf.VfInventory;
import io.sriov.observability.vf.VfTraffic;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    collector = SimulatedCollectors.of(node, podResources, pools, obs.registry());
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
        // IFLA_VF_STATS has no transmit errors: absent, not 0 (not even its HELP line)
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
    obs.scrape();
    String text = obs.scrape(); // the node metrics are read first: this scrape's error counts
    assertThat(text)
        .doesNotContain("sriov_kubepoddevice{")
        .doesNotContain("sriov_pool_allocated{")
        .contains("sriov_pool_capacity{resource=\"openshift.io/a\"} 2.0\n")
        .contains("sriov_podresources_errors_total 2.0\n");
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

  @Test
  void igbVfsCountOnTheirOwnNetdevInTheHostOrInThePodHoldingThem() throws Exception {
    Topology igb = igbTopology();
    Map<PciAddress, Path> podNetns = new ConcurrentHashMap<>();
    try (SimulatedNode n = SimulatedNodes.open(igb);
        Observability o = new Observability()) {
      NodeCollector c =
          igbCollector(n, n.rtnlNamespaces().orElseThrow(), podNetns, VfTraffic.POD_BUDGET, o);
      List<VfInventory.Vf> vfs = c.inventory().pfs().getFirst().vfs();
      PciAddress vf0 = vfs.get(0).address();
      PciAddress vf1 = vfs.get(1).address();
      PciAddress vf2 = vfs.get(2).address();
      PciAddress vf3 = vfs.get(3).address();
      // what igb's PF reports is not read (the real one reports zeros): each VF's own netdev is
      n.network()
          .setVfStats(PciAddress.parse("0000:05:00.0"), 0, new VfStats(9, 9, 9, 9, 9, 9, 9, 9));
      n.network().setLinkStats(vf0, new LinkStats(10, 20, 1000, 2000, 5, 6, 3, 4));
      var rtnl = n.rtnl().orElseThrow();
      var namespaces = n.rtnlNamespaces().orElseThrow();
      // VF 1 in a pod (the CNI's record says which namespace), VF 2 in a namespace nobody
      // recorded, VF 3 recorded in a namespace that is gone
      Path pod = Path.of("/run/netns/pod");
      Path other = Path.of("/run/netns/other");
      n.network().createNamespace(pod);
      n.network().createNamespace(other);
      rtnl.moveToNamespace(netdevIndex(rtnl, vf1), pod);
      rtnl.moveToNamespace(netdevIndex(rtnl, vf2), other);
      podNetns.put(vf1, pod);
      podNetns.put(vf3, Path.of("/run/netns/gone"));
      rtnl.moveToNamespace(netdevIndex(rtnl, vf3), other);
      n.network().setLinkStats(vf1, new LinkStats(7, 8, 700, 800, 0, 0, 1, 2));

      o.scrape();
      String text = o.scrape();
      String l0 = "{numa_node=\"0\",pciAddr=\"" + vf0 + "\",pf=\"enp5s0f0\",vf=\"0\"}";
      String l1 = "{numa_node=\"0\",pciAddr=\"" + vf1 + "\",pf=\"enp5s0f0\",vf=\"1\"}";
      assertThat(text)
          .contains("sriov_vf_rx_bytes" + l0 + " 1000.0\n")
          .contains("sriov_vf_tx_bytes" + l0 + " 2000.0\n")
          .contains("sriov_vf_rx_packets" + l0 + " 10.0\n")
          .contains("sriov_vf_tx_packets" + l0 + " 20.0\n")
          .contains("sriov_vf_rx_dropped" + l0 + " 3.0\n")
          .contains("sriov_vf_tx_dropped" + l0 + " 4.0\n")
          .contains("# TYPE sriov_vf_tx_errors untyped\n")
          .contains("sriov_vf_tx_errors" + l0 + " 6.0\n")
          .contains("sriov_vf_rx_bytes" + l1 + " 700.0\n")
          .contains("sriov_vf_tx_bytes" + l1 + " 800.0\n")
          .contains("sriov_vf_tx_errors" + l1 + " 0.0\n")
          .doesNotContain("pciAddr=\"" + vf2 + "\"")
          .doesNotContain("pciAddr=\"" + vf3 + "\"")
          .contains("sriov_vf_stats_errors_total{pf=\"enp5s0f0\"} 2.0\n");
      assertThat(text.lines().filter(x -> x.startsWith("sriov_vf_rx_bytes{"))).hasSize(2);
      assertThat(text.lines().filter(x -> x.startsWith("sriov_vf_tx_errors{"))).hasSize(2);
    }
  }

  /** One igb PF (82576) with 7 VFs, 4 of them enabled. */
  static Topology igbTopology() {
    return new Topology(
        "igb",
        List.of(
            new Topology.Pf(
                PciAddress.parse("0000:05:00.0"),
                PciId.parse("8086"),
                PciId.parse("10c9"),
                PciId.parse("10ca"),
                "0x020000",
                DriverName.of("igb"),
                DriverName.of("igbvf"),
                7,
                4,
                InterfaceName.of("enp5s0f0"),
                1500,
                0,
                1000,
                "ether",
                false,
                null,
                null,
                0)));
  }

  @Test
  void podNamespacesBeyondTheScrapesBudgetAreLeftOutCountedAndReadByTheNextScrape()
      throws Exception {
    Map<PciAddress, Path> podNetns = new ConcurrentHashMap<>();
    try (SimulatedNode n = SimulatedNodes.open(igbTopology());
        Observability o = new Observability()) {
      RtnlNamespaces sim = n.rtnlNamespaces().orElseThrow();
      RtnlNamespaces slow =
          new RtnlNamespaces() {
            @Override
            public Path hostNamespace() {
              return sim.hostNamespace();
            }

            @Override
            public RtnlOperations open(Path ns) throws NetlinkException {
              try {
                Thread.sleep(300); // a namespace slower to read than the budget
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return sim.open(ns);
            }
          };
      NodeCollector c = igbCollector(n, slow, podNetns, java.time.Duration.ofMillis(100), o);
      List<VfInventory.Vf> vfs = c.inventory().pfs().getFirst().vfs();
      var rtnl = n.rtnl().orElseThrow();
      Path pod1 = Path.of("/run/netns/pod1");
      Path pod2 = Path.of("/run/netns/pod2");
      n.network().createNamespace(pod1);
      n.network().createNamespace(pod2);
      PciAddress a = vfs.get(0).address();
      PciAddress b = vfs.get(1).address();
      PciAddress d = vfs.get(2).address();
      rtnl.moveToNamespace(netdevIndex(rtnl, a), pod1);
      rtnl.moveToNamespace(netdevIndex(rtnl, b), pod1);
      rtnl.moveToNamespace(netdevIndex(rtnl, d), pod2);
      podNetns.putAll(Map.of(a, pod1, b, pod1, d, pod2));
      n.network().setLinkStats(a, new LinkStats(1, 1, 100, 100, 0, 0, 0, 0));
      n.network().setLinkStats(d, new LinkStats(3, 3, 300, 300, 0, 0, 0, 0));

      // one namespace fits the budget: pod1 (two VFs, one visit) now, pod2 left out and counted
      String first = o.scrape();
      assertThat(first)
          .contains("pciAddr=\"" + a + "\",pf=\"enp5s0f0\",vf=\"0\"} 100.0\n")
          .contains("pciAddr=\"" + b + "\"")
          .doesNotContain("pciAddr=\"" + d + "\"")
          .contains("sriov_vf_stats_late_total{pf=\"enp5s0f0\"} 1.0\n");
      // the next scrape starts where this one stopped: pod2 now, pod1 left out
      String second = o.scrape();
      assertThat(second)
          .contains("pciAddr=\"" + d + "\",pf=\"enp5s0f0\",vf=\"2\"} 300.0\n")
          .doesNotContain("pciAddr=\"" + a + "\"")
          .contains("sriov_vf_stats_late_total{pf=\"enp5s0f0\"} 3.0\n")
          .doesNotContain("sriov_vf_stats_errors_total");
    }
  }

  /** The node metrics of an igb node whose pod VFs {@code podNetns} records, collected by o. */
  private static NodeCollector igbCollector(
      SimulatedNode n,
      RtnlNamespaces namespaces,
      Map<PciAddress, Path> podNetns,
      java.time.Duration budget,
      Observability o) {
    NodeCollector c =
        new NodeCollector(
            n.discovery(),
            new VfTraffic(
                n.rtnl().orElseThrow(),
                namespaces,
                vf -> Optional.ofNullable(podNetns.get(vf)),
                budget,
                o.registry()),
            List::of,
            List::of,
            o.registry());
    o.collect(c, java.time.Duration.ofMinutes(5));
    return c;
  }

  static int netdevIndex(io.sriov.netlink.route.RtnlOperations rtnl, PciAddress vf)
      throws Exception {
    return rtnl.links().stream()
        .filter(l -> l.parentDeviceName().filter(vf.toString()::equals).isPresent())
        .findFirst()
        .orElseThrow()
        .index();
  }

  @Test
  void theCountersOfAPfsVfsComeFromItsNetlinkUnlessItsDriverHasNone() {
    assertThat(VfTraffic.Source.of("igb")).isEqualTo(VfTraffic.Source.VF_NETDEV);
    assertThat(VfTraffic.Source.of("ice")).isEqualTo(VfTraffic.Source.PF_NETLINK);
    assertThat(VfTraffic.Source.of("mlx5_core")).isEqualTo(VfTraffic.Source.PF_NETLINK);
    assertThat(VfTraffic.Source.of("")).isEqualTo(VfTraffic.Source.PF_NETLINK);
  }
}
