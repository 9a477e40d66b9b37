package io.sriov.sysfs.bench;

import io.sriov.core.port.DeviceDiscovery.Result;
import io.sriov.core.value.PciAddress;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Discovery of a SIMULATED node with 8 PFs x 256 VFs (2,056 functions, every VF with a netdev): the
 * full walk and the rediscovery of one PF. The tree lives in {@code -Dsriov.bench.dir} (default:
 * the JVM temp directory; use a tmpfs such as /dev/shm to come closer to sysfs, which is
 * memory-backed too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DiscoveryBenchmark {
  @Param({"256"})
  int vfsPerPf;

  Path dir;
  SysfsDeviceDiscovery discovery;
  PciAddress pf;

  @Setup(Level.Trial)
  public void build() throws IOException {
    Path base =
        Path.of(System.getProperty("sriov.bench.dir", System.getProperty("java.io.tmpdir")));
    dir = Files.createTempDirectory(base, "sriov-bench-");
    SimulatedNode node = SimulatedNode.create(dir, Topology.scale(8, vfsPerPf));
    discovery = new SysfsDeviceDiscovery(node.root());
    pf = PciAddress.parse("0000:10:00.3");
    Result r = discovery.discoverAll();
    int expected = 8 + 8 * vfsPerPf;
    if (r.devices().size() != expected || !r.skipped().isEmpty()) {
      throw new IllegalStateException(
          "bench node wrong: " + r.devices().size() + " devices, " + r.skipped());
    }
  }

  @TearDown(Level.Trial)
  public void remove() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public Result fullWalk() {
    return discovery.discoverAll();
  }

  @Benchmark
  public Result singlePf() {
    return discovery.discoverPf(pf);
  }
}
