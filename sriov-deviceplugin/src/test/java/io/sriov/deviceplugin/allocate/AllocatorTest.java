package io.sriov.deviceplugin.allocate;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.config.AdditionalInfo;
import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.device.Device;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.DeviceSpec;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllocatorTest {
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

  private PreparedPool pool(PoolSpec spec, Device... devices) {
    return PreparedPool.prepare(new ResourcePool(spec, List.of(devices)), providers);
  }

  private PreparedPool pool(PoolSpec spec, DeviceNeeds needs, Device... devices) {
    return PreparedPool.prepare(ResourcePool.uniform(spec, needs, List.of(devices)), providers);
  }

  private static final DeviceNeeds RDMA = new DeviceNeeds(true, false, Optional.empty());
  private static final DeviceNeeds VHOST = new DeviceNeeds(false, true, Optional.empty());
  private static final DeviceNeeds VDPA =
      new DeviceNeeds(false, false, Optional.of(VdpaType.VHOST));

  private static ContainerAllocateResponse allocate(boolean cdi, PreparedPool pool, String... ids) {
    Allocator a = new Allocator(cdi);
    return a.respond(pool, a.resolve(pool, List.of(ids)));
  }

  private static List<String> specs(ContainerAllocateResponse r) {
    return r.getDevicesList().stream().map(DeviceSpec::getHostPath).toList();
  }

  @Test
  void netdevicePoolSetsIdsAndGenericInfoAndNoDeviceNodes() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 1).build(),
            vf("0000:af:00.0", "ens1f0", 0).build());
    ContainerAllocateResponse r = allocate(false, p, "0000:af:02.1", "0000:af:02.0");
    assertThat(r.getEnvsMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "PCIDEVICE_INTEL_COM_SRIOV_NET",
                "0000:af:02.1,0000:af:02.0",
                "PCIDEVICE_INTEL_COM_SRIOV_NET_INFO",
                "{\"0000:af:02.0\":{\"generic\":{\"deviceID\":\"0000:af:02.0\"}},"
                    + "\"0000:af:02.1\":{\"generic\":{\"deviceID\":\"0000:af:02.1\"}}}"));
    assertThat(r.getDevicesList()).isEmpty();
    assertThat(r.getAnnotationsMap()).isEmpty();
  }

  @Test
  void envNameKeepsHyphensAndMapsDots() {
    assertThat(PciDeviceEnv.name("example.org", "sriov-a"))
        .isEqualTo("PCIDEVICE_EXAMPLE_ORG_SRIOV-A");
  }

  @Test
  void vfioSharesControlNodeAndUsesNoIommuHostPath() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "dpdk", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).driver("vfio-pci").iommu(59, false).build(),
            vf("0000:af:00.0", "ens1f0", 1).driver("vfio-pci").iommu(7, true).build());
    ContainerAllocateResponse r = allocate(false, p, "0000:af:02.0", "0000:af:02.1");
    assertThat(r.getDevicesList())
        .containsExactly(
            spec("/dev/vfio/vfio", "/dev/vfio/vfio"),
            spec("/dev/vfio/59", "/dev/vfio/59"),
            spec("/dev/vfio/noiommu-7", "/dev/vfio/7"));
    assertThat(r.getEnvsOrThrow("PCIDEVICE_INTEL_COM_DPDK_INFO"))
        .isEqualTo(
            "{\"0000:af:02.0\":{\"generic\":{\"deviceID\":\"0000:af:02.0\"},"
                + "\"vfio\":{\"dev-mount\":\"/dev/vfio/59\",\"mount\":\"/dev/vfio/vfio\"}},"
                + "\"0000:af:02.1\":{\"generic\":{\"deviceID\":\"0000:af:02.1\"},"
                + "\"vfio\":{\"dev-mount\":\"/dev/vfio/7\",\"mount\":\"/dev/vfio/vfio\"}}}");
  }

  private static DeviceSpec spec(String host, String container) {
    return DeviceSpec.newBuilder()
        .setHostPath(host)
        .setContainerPath(container)
        .setPermissions("rw")
        .build();
  }

  @Test
  void uioProviderForIgbUioButNotForUioPciGeneric() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "uio", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).driver("igb_uio").uio("uio3").build(),
            vf("0000:af:00.0", "ens1f0", 1).driver("uio_pci_generic").uio("uio4").build());
    ContainerAllocateResponse r = allocate(false, p, "0000:af:02.0", "0000:af:02.1");
    assertThat(specs(r)).containsExactly("/dev/uio3");
    assertThat(r.getEnvsOrThrow("PCIDEVICE_INTEL_COM_UIO_INFO"))
        .isEqualTo(
            "{\"0000:af:02.0\":{\"generic\":{\"deviceID\":\"0000:af:02.0\"},"
                + "\"uio\":{\"mount\":\"/dev/uio3\"}},"
                + "\"0000:af:02.1\":{\"generic\":{\"deviceID\":\"0000:af:02.1\"}}}");
  }

  @Test
  void rdmaProviderListsCharDevicesOfTheRdmaDevice() throws IOException {
    ibdev("bus/pci/devices/0000:3b:02.0/infiniband_verbs/uverbs2");
    ibdev("bus/pci/devices/0000:3b:02.1/infiniband_verbs/uverbs3");
    ibdev("bus/pci/devices/0000:3b:02.0/infiniband_mad/umad2");
    ibdev("bus/pci/devices/0000:3b:02.0/infiniband_mad/issm2");
    Files.createDirectories(dev.resolve("infiniband"));
    Files.createFile(dev.resolve("infiniband/rdma_cm"));
    PoolSpec spec =
        new PoolSpec(
            "nvidia.com",
            "rdma",
            DeviceKind.NET_DEVICE,
            false,
            AdditionalInfo.NONE,
            AllocationPolicy.SPREAD);
    PreparedPool p =
        pool(
            spec, RDMA, vf("0000:3b:00.0", "ens2f0", 0).driver("mlx5_core").rdma("mlx5_2").build());
    ContainerAllocateResponse r = allocate(false, p, "0000:3b:02.0");
    assertThat(specs(r))
        .containsExactly(
            "/dev/infiniband/issm2",
            "/dev/infiniband/umad2",
            "/dev/infiniband/uverbs2",
            "/dev/infiniband/rdma_cm");
    assertThat(r.getEnvsOrThrow("PCIDEVICE_NVIDIA_COM_RDMA_INFO"))
        .isEqualTo(
            "{\"0000:3b:02.0\":{\"generic\":{\"deviceID\":\"0000:3b:02.0\"},"
                + "\"rdma\":{\"issm\":\"/dev/infiniband/issm2\",\"rdma_cm\":\"/dev/infiniband/rdma_cm\","
                + "\"rdma_dev\":\"mlx5_2\",\"umad\":\"/dev/infiniband/umad2\","
                + "\"uverbs\":\"/dev/infiniband/uverbs2\"}}}");
  }

  private void ibdev(String dir) throws IOException {
    Files.createDirectories(sys.resolve(dir));
  }

  @Test
  void vhostProviderWhenVhostNetExistsItsNodesOnlyWithTunToo() throws IOException {
    PoolSpec spec =
        new PoolSpec(
            "intel.com",
            "vhost",
            DeviceKind.NET_DEVICE,
            false,
            AdditionalInfo.NONE,
            AllocationPolicy.SPREAD);
    Device d = vf("0000:af:00.0", "ens1f0", 0).build();
    ContainerAllocateResponse none = allocate(false, pool(spec, VHOST, d), "0000:af:02.0");
    assertThat(specs(none)).isEmpty();
    assertThat(none.getEnvsOrThrow("PCIDEVICE_INTEL_COM_VHOST_INFO")).doesNotContain("vhost\"");

    Files.createFile(dev.resolve("vhost-net"));
    ContainerAllocateResponse noTun = allocate(false, pool(spec, VHOST, d), "0000:af:02.0");
    assertThat(specs(noTun)).isEmpty();
    assertThat(noTun.getEnvsOrThrow("PCIDEVICE_INTEL_COM_VHOST_INFO"))
        .contains("\"vhost\":{\"net-mount\":\"/dev/vhost-net\",\"tun-mount\":\"/dev/net/tun\"}");
    Files.createDirectories(dev.resolve("net"));
    Files.createFile(dev.resolve("net/tun"));
    ContainerAllocateResponse r = allocate(false, pool(spec, VHOST, d), "0000:af:02.0");
    assertThat(specs(r)).containsExactly("/dev/vhost-net", "/dev/net/tun");
    assertThat(r.getEnvsOrThrow("PCIDEVICE_INTEL_COM_VHOST_INFO"))
        .contains("\"vhost\":{\"net-mount\":\"/dev/vhost-net\",\"tun-mount\":\"/dev/net/tun\"}");
  }

  @Test
  void vdpaVhostProviderMountsTheVhostVdpaNode() {
    PoolSpec spec =
        new PoolSpec(
            "nvidia.com",
            "vdpa",
            DeviceKind.NET_DEVICE,
            false,
            AdditionalInfo.NONE,
            AllocationPolicy.SPREAD);
    Device d =
        vf("0000:3b:00.0", "ens2f0", 0)
            .driver("mlx5_core")
            .vdpa(new VdpaDevice("vdpa:0000:3b:02.0", VdpaType.VHOST, Optional.of("vhost-vdpa-1")))
            .build();
    ContainerAllocateResponse r = allocate(false, pool(spec, VDPA, d), "0000:3b:02.0");
    assertThat(specs(r)).containsExactly("/dev/vhost-vdpa-1");
    assertThat(r.getEnvsOrThrow("PCIDEVICE_NVIDIA_COM_VDPA_INFO"))
        .contains("\"vdpa\":{\"mount\":\"/dev/vhost-vdpa-1\"}");
  }

  @Test
  void rdmaProviderOnlyWhenTheSelectorAskedForIt() throws IOException {
    ibdev("bus/pci/devices/0000:3b:02.0/infiniband_verbs/uverbs2");
    Device d = vf("0000:3b:00.0", "ens2f0", 0).driver("mlx5_core").rdma("mlx5_2").build();
    PoolSpec spec = PoolSpec.simple("nvidia.com", "plain", DeviceKind.NET_DEVICE);
    ContainerAllocateResponse r = allocate(false, pool(spec, d), "0000:3b:02.0");
    assertThat(specs(r)).isEmpty();
    assertThat(r.getEnvsOrThrow("PCIDEVICE_NVIDIA_COM_PLAIN_INFO")).doesNotContain("rdma");
  }

  @Test
  void extraInfoMergesWildcardAndPerDeviceKeys() {
    PoolSpec spec =
        new PoolSpec(
            "intel.com",
            "extra",
            DeviceKind.NET_DEVICE,
            false,
            new AdditionalInfo(
                Map.of("*", Map.of("a", "1", "b", "2"), "0000:af:02.0", Map.of("b", "3"))),
            AllocationPolicy.SPREAD);
    ContainerAllocateResponse r =
        allocate(false, pool(spec, vf("0000:af:00.0", "ens1f0", 0).build()), "0000:af:02.0");
    assertThat(r.getEnvsOrThrow("PCIDEVICE_INTEL_COM_EXTRA_INFO"))
        .isEqualTo(
            "{\"0000:af:02.0\":{\"extra\":{\"a\":\"1\",\"b\":\"3\"},"
                + "\"generic\":{\"deviceID\":\"0000:af:02.0\"}}}");
  }

  @Test
  void cdiModeReturnsAnnotationsInsteadOfDeviceSpecs() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "dpdk", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).driver("vfio-pci").iommu(59, false).build(),
            vf("0000:af:00.0", "ens1f0", 1).driver("vfio-pci").iommu(60, false).build());
    ContainerAllocateResponse r = allocate(true, p, "0000:af:02.1", "0000:af:02.0");
    assertThat(r.getDevicesList()).isEmpty();
    assertThat(r.getAnnotationsMap())
        .containsExactly(
            Map.entry(
                "cdi.k8s.io/intel.com_net-pci",
                "intel.com/net-pci=0000:af:02.1,intel.com/net-pci=0000:af:02.0"));
    assertThat(r.getEnvsOrThrow("PCIDEVICE_INTEL_COM_DPDK")).isEqualTo("0000:af:02.1,0000:af:02.0");
  }

  @Test
  void unknownDeviceIsRejectedNamingIt() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).build());
    Allocator a = new Allocator(false);
    assertThatThrownBy(() -> a.resolve(p, List.of("0000:af:02.0", "0000:af:09.7")))
        .isInstanceOf(InvalidAllocationException.class)
        .hasMessage("device \"0000:af:09.7\" is not in resource intel.com/sriov_net");
  }

  @Test
  void duplicatedDeviceIsRejectedNamingIt() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).build());
    Allocator a = new Allocator(false);
    assertThatThrownBy(() -> a.resolve(p, List.of("0000:af:02.0", "0000:af:02.0")))
        .isInstanceOf(InvalidAllocationException.class)
        .hasMessage("device \"0000:af:02.0\" is requested twice for resource intel.com/sriov_net");
  }

  @Test
  void aLongIdIsRejectedWithAShortMessageThatDoesNotEchoIt() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).build());
    String id = "x".repeat(10_000);
    assertThatThrownBy(() -> new Allocator(false).resolve(p, List.of(id)))
        .isInstanceOf(InvalidAllocationException.class)
        .hasMessage("device \"" + "x".repeat(80) + "...\" is not in resource intel.com/sriov_net");
  }

  @Test
  void controlCharactersOfAnIdAreEscapedInTheMessage() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).build());
    assertThatThrownBy(
            () -> new Allocator(false).resolve(p, List.of("0000:af:02.0\nINFO forged line\u0000")))
        .hasMessage(
            "device \"0000:af:02.0\\x0aINFO forged line\\x00\" is not in resource"
                + " intel.com/sriov_net");
  }

  @Test
  void theSameIdInTwoContainersOfOneRequestIsRejected() {
    PreparedPool p =
        pool(
            PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE),
            vf("0000:af:00.0", "ens1f0", 0).build(),
            vf("0000:af:00.0", "ens1f0", 1).build());
    Allocator a = new Allocator(false);
    assertThat(a.resolveAll(p, List.of(List.of("0000:af:02.0"), List.of("0000:af:02.1"))))
        .hasSize(2);
    assertThatThrownBy(
            () -> a.resolveAll(p, List.of(List.of("0000:af:02.0"), List.of("0000:af:02.0"))))
        .isInstanceOf(InvalidAllocationException.class)
        .hasMessage("device \"0000:af:02.0\" is requested twice for resource intel.com/sriov_net");
  }
}
