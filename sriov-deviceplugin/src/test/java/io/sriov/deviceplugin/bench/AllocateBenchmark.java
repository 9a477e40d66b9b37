package io.sriov.deviceplugin.bench;

import static io.sriov.deviceplugin.testing.TestDevices.vf;

import io.sriov.core.device.Device;
import io.sriov.deviceplugin.allocate.Allocator;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.api.v1beta1.AllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginFixture;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
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
 * Allocate latency (target p99 under 1 ms) for a vfio pool of 256 VFs: the in-process answer; the
 * gRPC round trip over the Unix socket for a netDevice pool (which writes one device-info file per
 * device, here on tmpfs as /var/run is on a node); and the round trip for a pool that writes none.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AllocateBenchmark {
  @Param({"1", "8"})
  public int devices;

  private Path dir;
  private PluginFixture fx;
  private PluginClient client;
  private PluginClient clientNoFiles;
  private PreparedPool pool;
  private final Allocator allocator = new Allocator(false);
  private List<String> ids;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path shm = Path.of("/dev/shm");
    dir =
        Files.isDirectory(shm)
            ? Files.createTempDirectory(shm, "dp-bench")
            : Files.createTempDirectory("dp-bench");
    List<Device> vfs = new ArrayList<>();
    for (int pf = 0; pf < 4; pf++) {
      String pfAddr = String.format("0000:%02x:00.0", 0x10 + pf * 0x10);
      for (int i = 0; i < 64; i++) {
        vfs.add(
            vf(pfAddr, "ens" + pf, i)
                .driver("vfio-pci")
                .iommu(100 + pf * 64 + i, false)
                .numa(pf / 2)
                .build());
      }
    }
    PoolSpec spec = PoolSpec.simple("intel.com", "bench", DeviceKind.NET_DEVICE);
    ResourcePool rp = new ResourcePool(spec, vfs);
    pool =
        PreparedPool.prepare(
            rp,
            new InfoProviders(
                new DeviceNodes(new SysfsRoot(dir.resolve("sys"), dir.resolve("dev")))));
    ids = vfs.subList(0, devices).stream().map(Device::id).toList();
    fx = new PluginFixture(dir.resolve("fx"), RegistrationMode.WATCHER, false);
    PoolSpec accel = PoolSpec.simple("intel.com", "bench_accel", DeviceKind.ACCELERATOR);
    fx.manager.apply(List.of(rp, new ResourcePool(accel, vfs)), Set.of());
    client = fx.client(spec.socketName());
    clientNoFiles = fx.client(accel.socketName());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    client.close();
    clientNoFiles.close();
    fx.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public ContainerAllocateResponse inProcess() {
    return allocator.respond(pool, allocator.resolve(pool, ids));
  }

  @Benchmark
  public AllocateResponse grpcRoundTrip() {
    return client.allocate(List.of(ids));
  }

  @Benchmark
  public AllocateResponse grpcRoundTripNoDeviceInfo() {
    return clientNoFiles.allocate(List.of(ids));
  }
}
