package io.sriov.observability.bench;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.api.podresources.v1.PodResources;
import io.sriov.deviceplugin.kubelet.KubeletPodResources;
import io.sriov.deviceplugin.testing.PodResourcesStandIn;
import io.sriov.netlink.route.LinkStats;
import io.sriov.netlink.route.VfStats;
import io.sriov.observability.NodeCollector;
import io.sriov.observability.Observability;
import io.sriov.observability.pool.PoolSource;
import io.sriov.observability.vf.VfInventory;
import io.sriov.observability.vf.VfTraffic;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full {@code /metrics} exposition (what a Prometheus scrape costs the daemon) on a SIMULATED
 * node with 2 PFs x 256 VFs = 512 VFs, every VF advertised in one of two pools and held by one of
 * 512 pods that kubelet's PodResources (a gRPC stand-in on a Unix socket, through the real client)
 * lists: per-VF statistics through the simulated rtnetlink, the PodResources List, the pod join,
 * pools, and every Micrometer meter of the registry, written as the bytes {@code /metrics} sends.
 *
 * <p>{@code node=ice}: the PFs' netlink VF statistics (one request per PF). {@code node=igb}: the
 * same 2 x 256 VFs on a PF driver without VF statistics, every VF's netdev in its own pod namespace
 * (512 simulated namespaces, recorded as the CNI records them): per scrape the allocation record of
 * each VF, one visit and link dump per namespace on one walk, within the scrape's budget (the
 * simulated namespaces cost no {@code setns}; the real kernel's walk is measured by {@code
 * NamespaceWalkBenchmark}). Run with {@code -prof gc} for the allocation per scrape
 * (gc.alloc.rate.norm; it includes what the in-process kubelet stand-in allocates to answer).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScrapeBenchmark {
  private Path dir;
  private SimulatedNode node;
  private PodResourcesStandIn kubelet;
  private KubeletPodResources pods;
  private Observability obs;
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;
  private long scrapes;

  /** Which PF driver the node has: where the per-VF counters come from. */
  @Param({"ice", "igb"})
  public String driver;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("scrape-bench-");
    Topology topology = withDriver(Topology.scale(2, 256), driver);
    node = SimulatedNode.create(dir.resolve("node"), topology);
    Map<PciAddress, Path> podNetns = new HashMap<>();
    List<PodResources> podList = new ArrayList<>();
    List<Set<String>> poolIds = List.of(new HashSet<>(), new HashSet<>());
    for (int p = 0; p < topology.pfs().size(); p++) {
      Topology.Pf pf = topology.pfs().get(p);
      for (int v = 0; v < 256; v++) {
        PciAddress vf = pf.vfAddress(v);
        node.network()
            .setVfStats(pf.address(), v, new VfStats(v, v, v * 1500L, v * 900L, 0, 0, 0, 0));
        if (driver.equals("igb")) { // its VF's netdev in its pod's namespace
          Path ns = Path.of("/run/netns/pod-" + p + "-" + v);
          node.network().createNamespace(ns);
          node.network().setLinkStats(vf, new LinkStats(v, v, v * 1500L, v * 900L, 0, 0, 0, 0));
          var rtnl = node.rtnl().orElseThrow();
          int index =
              rtnl.links().stream()
                  .filter(l -> l.parentDeviceName().filter(vf.toString()::equals).isPresent())
                  .findFirst()
                  .orElseThrow()
                  .index();
          rtnl.moveToNamespace(index, ns);
          podNetns.put(vf, ns);
        }
        poolIds.get(p).add(vf.toString());
        podList.add(
            PodResourcesStandIn.pod(
                "ns" + (v % 8),
                "pod-" + p + "-" + v,
                "app",
                "openshift.io/pool" + p,
                vf.toString()));
      }
    }
    kubelet = new PodResourcesStandIn(dir.resolve("kubelet.sock"));
    kubelet.answer(podList);
    pods = new KubeletPodResources(dir.resolve("kubelet.sock"), Duration.ofSeconds(5));
    List<PoolSource.Pool> pools =
        List.of(
            new PoolSource.Pool("openshift.io/pool0", poolIds.get(0), 256),
            new PoolSource.Pool("openshift.io/pool1", poolIds.get(1), 256));
    obs = new Observability();
    NodeCollector collector =
        new NodeCollector(
            node.discovery(),
            new VfTraffic(
                node.rtnl().orElseThrow(),
                node.rtnlNamespaces().orElseThrow(),
                vf -> Optional.ofNullable(podNetns.get(vf)),
                obs.registry()),
            pods,
            () -> pools,
            obs.registry());
    obs.collect(collector, Duration.ofMinutes(10));
    VfInventory inv = collector.inventory();
    String text = obs.scrape();
    long vfSeries = text.lines().filter(l -> l.startsWith("sriov_vf_rx_bytes{")).count();
    long podSeries = text.lines().filter(l -> l.startsWith("sriov_kubepoddevice{")).count();
    if (inv.vfCount() != 512 || vfSeries != 512 || podSeries != 512 || text.contains("_late_")) {
      throw new IllegalStateException(
          "expected 512 VFs and 512 pod joins, got vfs="
              + inv.vfCount()
              + " series="
              + vfSeries
              + " pods="
              + podSeries);
    }
    System.out.printf("%nexposition: %d bytes, %d lines%n", text.length(), text.lines().count());
  }

  /** What {@code /metrics} sends: the exposition's bytes. */
  @Setup(Level.Iteration)
  public void iterationStart() {
    scrapes = 0;
    cpuAtStart = os.getProcessCpuTime();
  }

  /**
   * The process's CPU time per scrape in this iteration (every thread: the scrape, the in-process
   * kubelet stand-in answering it, GC, JIT): what a scrape costs in CPU, which a loaded machine
   * does not inflate as it does the wall time JMH reports.
   */
  @TearDown(Level.Iteration)
  public void iterationEnd() {
    long cpu = os.getProcessCpuTime() - cpuAtStart;
    System.out.printf(
        " [process CPU per scrape: %.2f ms, %d scrapes]", cpu / 1e6 / scrapes, scrapes);
  }

  /** What {@code /metrics} sends: the exposition's bytes. */
  @Benchmark
  public Object scrape() {
    scrapes++;
    return obs.exposition();
  }

  /** {@code t} with every PF bound to {@code driver} (VFs: igb's igbvf, else as they were). */
  static Topology withDriver(Topology t, String driver) {
    if (driver.equals("ice")) {
      return t;
    }
    return new Topology(
        t.name() + "-" + driver,
        t.pfs().stream()
            .map(
                pf ->
                    new Topology.Pf(
                        pf.address(),
                        pf.vendor(),
                        pf.device(),
                        pf.vfDevice(),
                        pf.deviceClass(),
                        DriverName.of(driver),
                        DriverName.of(driver + "vf"),
                        pf.totalVfs(),
                        pf.numVfs(),
                        pf.netdev(),
                        pf.mtu(),
                        pf.numaNode(),
                        pf.speedMbps(),
                        pf.linkType(),
                        pf.rdma(),
                        pf.switchId(),
                        pf.firstVf(),
                        pf.subFunctions()))
            .toList());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    obs.close();
    pods.close();
    kubelet.close();
    node.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
