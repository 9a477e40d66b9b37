package io.sriov.deviceplugin.bench;

import static io.sriov.deviceplugin.testing.TestDevices.vf;

import io.sriov.core.device.Device;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.config.ConfigPoolPlanner;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PoolPlanner;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.PluginFixture;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Pool rebuild for 2,048 VFs (16 PFs x 128 VFs, target under 50 ms warm): parse the config, assign
 * the discovered devices to 4 pools and precompute every device's Allocate answer; and the same
 * followed by the manager's apply (diff, health, ListAndWatch swap) on live endpoints. Discovery's
 * sysfs reads are not part of it (an in-memory discovery returns the devices).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PoolRebuildBenchmark {
  static final String CONFIG =
      """
      {"resourceList": [
        {"resourceName": "a", "selectors": {"pfNames": ["ens0", "ens1", "ens2", "ens3"]}},
        {"resourceName": "b", "selectors": {"pfNames": ["ens4#0-63", "ens5", "ens6", "ens7"]}},
        {"resourceName": "c", "selectors": {"drivers": ["vfio-pci"]}, "allocationPolicy": "pack"},
        {"resourceName": "d", "selectors": {"vendors": ["8086"], "devices": ["154c"]}}
      ]}
      """;

  private Path dir;
  private ConfigPoolPlanner planner;
  private InfoProviders providers;
  private PluginFixture fx;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("dp-bench");
    List<Device> vfs = new ArrayList<>();
    for (int pf = 0; pf < 16; pf++) {
      String pfAddr = String.format("0000:%02x:00.0", 0x10 + pf * 0x08);
      for (int i = 0; i < 128; i++) {
        var b = vf(pfAddr, "ens" + pf, i).numa(pf / 8);
        if (pf >= 8 && pf < 12) {
          b.driver("vfio-pci").iommu(pf * 128 + i, false);
        }
        vfs.add(b.build());
      }
    }
    DeviceDiscovery discovery =
        new DeviceDiscovery() {
          @Override
          public Result discoverAll() {
            return new Result(vfs, List.of());
          }

          @Override
          public Result discoverPf(PciAddress pf) {
            throw new UnsupportedOperationException();
          }
        };
    planner = new ConfigPoolPlanner(discovery, io.sriov.node.DefaultRouteLinks.NONE);
    providers =
        new InfoProviders(new DeviceNodes(new SysfsRoot(dir.resolve("sys"), dir.resolve("dev"))));
    fx = new PluginFixture(dir.resolve("fx"), RegistrationMode.WATCHER, false);
    PoolPlanner.Plan plan = planner.plan(parse());
    int total = plan.pools().stream().mapToInt(p -> p.devices().size()).sum();
    if (total != 2048) {
      throw new IllegalStateException("expected 2048 pooled VFs, got " + total);
    }
    fx.manager.apply(plan.pools(), plan.discovered());
  }

  /** Parsing is part of a rebuild: the app parses the file each time it changed. */
  private static DevicePluginConfig parse() {
    return DevicePluginConfig.parse(CONFIG, "bench.json", ResourcePrefix.INTEL);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fx.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public List<PreparedPool> planAndPrepare() {
    List<PreparedPool> out = new ArrayList<>();
    for (ResourcePool p : planner.plan(parse()).pools()) {
      out.add(PreparedPool.prepare(p, providers));
    }
    return out;
  }

  @Benchmark
  public PoolPlanner.Plan planAndApply() {
    PoolPlanner.Plan plan = planner.plan(parse());
    fx.manager.apply(plan.pools(), plan.discovered());
    return plan;
  }
}
