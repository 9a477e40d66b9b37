package io.sriov.deviceplugin;

import static io.sriov.deviceplugin.testing.TestDevices.sf;
import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.config.AdditionalInfo;
import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.device.Device;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.deviceplugin.allocate.Allocator;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.allocate.PreparedDevice;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.DeviceSpec;
import io.sriov.deviceplugin.cdi.CdiSpecs;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What upstream's device plugin (its code at HEAD 2026-06, not its README) answers, byte for byte,
 * per info provider: the golden files under {@code upstream/} were written from upstream's code
 * ({@code pkg/infoprovider/*}, {@code pkg/netdevice/netResourcePool.go StoreDeviceInfoFile}, the
 * network-attachment-definition client's {@code DeviceInfo} JSON, {@code pkg/cdi/cdi.go} through
 * the CDI library v0.5.4 and sigs.k8s.io/yaml), not from this plugin's output. Each holds the
 * container envs (sorted by name), the DeviceSpecs ({@code permissions hostPath containerPath}),
 * the device-info file of each device (netDevice pools) and, where upstream writes one, the CDI
 * spec.
 */
class UpstreamCompatibilityTest {
  private static final DeviceNeeds PLAIN = DeviceNeeds.NONE;
  private static final DeviceNeeds RDMA = new DeviceNeeds(true, false, Optional.empty());
  private static final DeviceNeeds VHOST_NET = new DeviceNeeds(false, true, Optional.empty());
  private static final DeviceNeeds VDPA_VHOST =
      new DeviceNeeds(false, false, Optional.of(VdpaType.VHOST));
  private static final DeviceNeeds VDPA_VIRTIO =
      new DeviceNeeds(false, false, Optional.of(VdpaType.VIRTIO));

  @TempDir Path tmp;
  private Path sys;
  private Path dev;
  private InfoProviders providers;

  @BeforeEach
  void setUp() throws IOException {
    sys = Files.createDirectories(tmp.resolve("sys"));
    dev = Files.createDirectories(tmp.resolve("dev"));
    providers = new InfoProviders(new DeviceNodes(new SysfsRoot(sys, dev)));
  }

  @Test
  void genericNetdevice() throws IOException {
    assertGolden(
        "generic.txt",
        pool(
            PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE),
            PLAIN,
            vf("0000:af:00.0", "ens1f0", 0).build()),
        "0000:af:02.0");
  }

  @Test
  void vfioTwoDevicesShareTheControlNode() throws IOException {
    assertGolden(
        "vfio.txt",
        pool(
            PoolSpec.simple("intel.com", "sriov_dpdk", DeviceKind.NET_DEVICE),
            PLAIN,
            vf("0000:af:00.0", "ens1f0", 0).driver("vfio-pci").iommu(57, false).build(),
            vf("0000:af:00.0", "ens1f0", 1).driver("vfio-pci").iommu(58, false).build()),
        "0000:af:02.1",
        "0000:af:02.0");
  }

  @Test
  void vfioNoIommu() throws IOException {
    assertGolden(
        "vfio-noiommu.txt",
        pool(
            PoolSpec.simple("intel.com", "sriov_dpdk", DeviceKind.NET_DEVICE),
            PLAIN,
            vf("0000:00:03.0", "eth1", 0)
                .address("0000:00:05.0")
                .driver("vfio-pci")
                .iommu(3, true)
                .build()),
        "0000:00:05.0");
  }

  @Test
  void uio() throws IOException {
    assertGolden(
        "uio.txt",
        pool(
            PoolSpec.simple("intel.com", "sriov_uio", DeviceKind.NET_DEVICE),
            PLAIN,
            vf("0000:af:00.0", "ens1f0", 0).driver("igb_uio").uio("uio0").build()),
        "0000:af:02.0");
  }

  @Test
  void rdmaInAnIsRdmaPool() throws IOException {
    Files.createDirectories(sys.resolve("bus/pci/devices/0000:3b:02.0/infiniband_verbs/uverbs2"));
    Files.createDirectories(sys.resolve("bus/pci/devices/0000:3b:02.0/infiniband_mad/umad2"));
    Files.createDirectories(sys.resolve("bus/pci/devices/0000:3b:02.0/infiniband_mad/issm2"));
    Files.createDirectories(dev.resolve("infiniband"));
    Files.createFile(dev.resolve("infiniband/rdma_cm"));
    assertGolden(
        "rdma.txt",
        pool(
            PoolSpec.simple("nvidia.com", "mlx_rdma", DeviceKind.NET_DEVICE),
            RDMA,
            vf("0000:3b:00.0", "ens2f0", 0).driver("mlx5_core").rdma("mlx5_2").build()),
        "0000:3b:02.0");
  }

  @Test
  void rdmaExclusiveModeVfWhoseRdmaDeviceIsInAPod() throws IOException {
    // enable_rdma is true in devlink, no RDMA device in the host's sysfs (moved into a pod).
    Device d = vf("0000:3b:00.0", "ens2f0", 1).driver("mlx5_core").build();
    d =
        ((io.sriov.core.device.PciNetDevice) d)
            .withRdma(io.sriov.core.device.RdmaInfo.ENABLED_ELSEWHERE);
    assertGolden(
        "rdma-exclusive-in-pod.txt",
        pool(PoolSpec.simple("nvidia.com", "mlx_rdma", DeviceKind.NET_DEVICE), RDMA, d),
        "0000:3b:02.1");
  }

  @Test
  void rdmaCapableVfInAPoolWithoutIsRdma() throws IOException {
    assertGolden(
        "rdma-capable-plain-pool.txt",
        pool(
            PoolSpec.simple("nvidia.com", "mlx_net", DeviceKind.NET_DEVICE),
            PLAIN,
            vf("0000:3b:00.0", "ens2f0", 0).driver("mlx5_core").rdma("mlx5_2").build()),
        "0000:3b:02.0");
  }

  @Test
  void vhostNet() throws IOException {
    Files.createFile(dev.resolve("vhost-net"));
    Files.createDirectories(dev.resolve("net"));
    Files.createFile(dev.resolve("net/tun"));
    assertGolden(
        "vhost.txt",
        pool(
            PoolSpec.simple("intel.com", "sriov_vhost", DeviceKind.NET_DEVICE),
            VHOST_NET,
            vf("0000:af:00.0", "ens1f0", 0).build()),
        "0000:af:02.0");
  }

  @Test
  void vdpaVhost() throws IOException {
    assertGolden(
        "vdpa-vhost.txt",
        pool(
            PoolSpec.simple("nvidia.com", "vdpa_vhost", DeviceKind.NET_DEVICE),
            VDPA_VHOST,
            vf("0000:3b:00.0", "ens2f0", 0)
                .driver("mlx5_core")
                .vdpa(
                    new VdpaDevice(
                        "vdpa:0000:3b:02.0", VdpaType.VHOST, Optional.of("vhost-vdpa-1")))
                .build()),
        "0000:3b:02.0");
  }

  @Test
  void vdpaVirtio() throws IOException {
    assertGolden(
        "vdpa-virtio.txt",
        pool(
            PoolSpec.simple("nvidia.com", "vdpa_virtio", DeviceKind.NET_DEVICE),
            VDPA_VIRTIO,
            vf("0000:3b:00.0", "ens2f0", 0)
                .driver("mlx5_core")
                .vdpa(new VdpaDevice("vdpa:0000:3b:02.0", VdpaType.VIRTIO, Optional.empty()))
                .build()),
        "0000:3b:02.0");
  }

  @Test
  void vdpaCapableVfInAPoolWithoutVdpaType() throws IOException {
    assertGolden(
        "vdpa-capable-plain-pool.txt",
        pool(
            PoolSpec.simple("nvidia.com", "mlx_net", DeviceKind.NET_DEVICE),
            PLAIN,
            vf("0000:3b:00.0", "ens2f0", 0)
                .driver("mlx5_core")
                .vdpa(
                    new VdpaDevice(
                        "vdpa:0000:3b:02.0", VdpaType.VHOST, Optional.of("vhost-vdpa-1")))
                .build()),
        "0000:3b:02.0");
  }

  @Test
  void extraWithAnEntryForAnotherDeviceOnly() throws IOException {
    PoolSpec spec =
        new PoolSpec(
            "intel.com",
            "sriov_extra",
            DeviceKind.NET_DEVICE,
            false,
            new AdditionalInfo(Map.of("0000:af:02.1", Map.of("zone", "b<&>"))),
            AllocationPolicy.DEFAULT);
    assertGolden(
        "extra.txt",
        pool(
            spec,
            PLAIN,
            vf("0000:af:00.0", "ens1f0", 0).build(),
            vf("0000:af:00.0", "ens1f0", 1).build()),
        "0000:af:02.0",
        "0000:af:02.1");
  }

  @Test
  void subFunctionExtraIsKeyedByItsParentPfPciAddress() throws IOException {
    PoolSpec spec =
        new PoolSpec(
            "nvidia.com",
            "sf_net",
            DeviceKind.AUX_NET_DEVICE,
            false,
            new AdditionalInfo(
                Map.of(
                    "*",
                    Map.of("a", "1"),
                    "0000:3b:00.0",
                    Map.of("a", "2", "pf", "p0"),
                    "mlx5_core.sf.2",
                    Map.of("ignored", "yes"))),
            AllocationPolicy.DEFAULT);
    assertGolden("sf.txt", pool(spec, PLAIN, sf("0000:3b:00.0", "p0", 2)), "mlx5_core.sf.2");
  }

  private PreparedPool pool(PoolSpec spec, DeviceNeeds needs, Device... devices) {
    return PreparedPool.prepare(ResourcePool.uniform(spec, needs, List.of(devices)), providers);
  }

  private void assertGolden(String golden, PreparedPool pool, String... ids) throws IOException {
    Allocator allocator = new Allocator(false);
    List<PreparedDevice> devices = allocator.resolve(pool, List.of(ids));
    ContainerAllocateResponse r = allocator.respond(pool, devices);
    StringBuilder out = new StringBuilder();
    new TreeMap<>(r.getEnvsMap())
        .forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    for (DeviceSpec d : r.getDevicesList()) {
      out.append("device ")
          .append(d.getPermissions())
          .append(' ')
          .append(d.getHostPath())
          .append(' ')
          .append(d.getContainerPath())
          .append('\n');
    }
    if (pool.spec().kind() == DeviceKind.NET_DEVICE) {
      Path dir = tmp.resolve("devinfo");
      DeviceInfoFiles files = new DeviceInfoFiles(dir);
      for (PreparedDevice d : devices) {
        files.write(pool.spec(), d.device(), d.needs());
        Path f = files.fileFor(pool.spec(), d.id());
        out.append("device-info ")
            .append(f.getFileName())
            .append(' ')
            .append(
                java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(f)))
            .append('\n')
            .append(Files.readString(f))
            .append('\n');
      }
    }
    // Upstream's CDI library refuses a device without edits and then writes no spec at all.
    if (pool.devices().values().stream().noneMatch(d -> d.nodes().isEmpty())) {
      Path dir = tmp.resolve("cdi");
      CdiSpecs cdi = new CdiSpecs(dir);
      cdi.write(pool);
      out.append("cdi ")
          .append(cdi.fileFor(pool).getFileName())
          .append('\n')
          .append(Files.readString(cdi.fileFor(pool)));
    }
    assertThat(out.toString()).isEqualTo(read("upstream/" + golden));
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = UpstreamCompatibilityTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
