package io.sriov.sysfs.devnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.IommuGroup;
import io.sriov.core.device.PciFunction;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.simulator.SimulatedNode;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNodesTest {
  static final PciAddress VF0 = PciAddress.parse("0000:3c:00.0");
  static final PciAddress MLX_VF1 = PciAddress.parse("0000:b0:00.1");

  @TempDir Path dir;
  SimulatedNode node;
  SysfsRoot root;
  DeviceNodes nodes;

  @BeforeEach
  void setUp() throws Exception {
    node = SimulatedNode.builtIn(dir);
    root = node.root();
    nodes = new DeviceNodes(root);
  }

  PciFunction function(PciAddress a) {
    return new SysfsDeviceDiscovery(root)
        .discoverAll().devices().stream()
            .filter(d -> d.id().equals(a.toString()))
            .findFirst()
            .orElseThrow()
            .pci();
  }

  static DeviceNode node(String host, String container) {
    return new DeviceNode(Path.of(host), Path.of(container), "rw");
  }

  @Test
  void vfioGroupAndContainer() throws Exception {
    new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults())
        .bindDriver(VF0, DriverName.VFIO_PCI);
    PciFunction f = function(VF0);
    int g = f.iommuGroup().orElseThrow().number();
    DeviceNodeSet s = nodes.vfio(f);
    assertThat(s.complete()).isTrue();
    assertThat(s.nodes())
        .containsExactly(
            node("/dev/vfio/vfio", "/dev/vfio/vfio"), node("/dev/vfio/" + g, "/dev/vfio/" + g));
  }

  @Test
  void vfioNoIommuHostPathDiffersFromContainerPath() throws Exception {
    new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults())
        .bindDriver(VF0, DriverName.VFIO_PCI);
    PciFunction f = function(VF0);
    int g = f.iommuGroup().orElseThrow().number();
    PciFunction noIommu = withGroup(f, new IommuGroup(g, true));
    assertThat(nodes.vfio(noIommu).missing()).containsExactly(Path.of("/dev/vfio/noiommu-" + g));
    Files.writeString(root.devVfioNoIommuGroup(g), "");
    assertThat(nodes.vfio(noIommu).nodes())
        .containsExactly(
            node("/dev/vfio/vfio", "/dev/vfio/vfio"),
            node("/dev/vfio/noiommu-" + g, "/dev/vfio/" + g));
  }

  @Test
  void notOnVfioMeansNoVfioNodes() {
    assertThat(nodes.vfio(function(VF0))).isEqualTo(DeviceNodeSet.EMPTY);
  }

  @Test
  void vfioWithoutIommuGroupIsIncomplete() throws Exception {
    new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults())
        .bindDriver(VF0, DriverName.VFIO_PCI);
    PciFunction f = function(VF0);
    DeviceNodeSet s =
        nodes.vfio(
            new PciFunction(
                f.address(),
                f.vendor(),
                f.device(),
                f.classCode(),
                f.subsystemVendor(),
                f.subsystemDevice(),
                f.driver(),
                f.numaNode(),
                Optional.empty(),
                f.acpiIndex(),
                f.uioDevices()));
    assertThat(s.complete()).isFalse();
    assertThat(s.missing()).containsExactly(Path.of("/dev/vfio/<no iommu_group for 0000:3c:00.0>"));
  }

  @Test
  void vfioGroupNodeGone() throws Exception {
    new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults())
        .bindDriver(VF0, DriverName.VFIO_PCI);
    PciFunction f = function(VF0);
    int g = f.iommuGroup().orElseThrow().number();
    Files.delete(root.devVfioGroup(g));
    assertThat(nodes.vfio(f).missing()).containsExactly(Path.of("/dev/vfio/" + g));
  }

  @Test
  void uioNodes() throws Exception {
    Files.createDirectories(root.pciDevice(VF0).resolve("uio/uio2"));
    Files.writeString(root.devUio("uio2"), "");
    assertThat(nodes.uio(function(VF0)).nodes()).containsExactly(node("/dev/uio2", "/dev/uio2"));
  }

  @Test
  void rdmaCharacterDevicesOfAMellanoxVfInUpstreamsOrder() {
    DeviceNodeSet s = nodes.rdma(MLX_VF1);
    assertThat(s.complete()).isTrue();
    assertThat(s.nodes())
        .containsExactly(
            node("/dev/infiniband/issm2", "/dev/infiniband/issm2"),
            node("/dev/infiniband/umad2", "/dev/infiniband/umad2"),
            node("/dev/infiniband/uverbs2", "/dev/infiniband/uverbs2"),
            node("/dev/infiniband/rdma_cm", "/dev/infiniband/rdma_cm"));
    assertThat(nodes.rdma(VF0)).isEqualTo(DeviceNodeSet.EMPTY);
  }

  @Test
  void vhostNetAndTun() throws Exception {
    assertThat(nodes.vhostNet().nodes())
        .containsExactly(
            node("/dev/vhost-net", "/dev/vhost-net"), node("/dev/net/tun", "/dev/net/tun"));
    Files.delete(root.devNetTun());
    assertThat(nodes.vhostNet().missing()).containsExactly(Path.of("/dev/net/tun"));
  }

  @Test
  void vhostVdpa() throws Exception {
    Files.writeString(root.devVhostVdpa("vhost-vdpa-0"), "");
    assertThat(
            nodes
                .vdpa(new VdpaDevice("vdpa0", VdpaType.VHOST, Optional.of("vhost-vdpa-0")))
                .nodes())
        .containsExactly(node("/dev/vhost-vdpa-0", "/dev/vhost-vdpa-0"));
    assertThat(nodes.vdpa(new VdpaDevice("vdpa1", VdpaType.VIRTIO, Optional.empty())))
        .isEqualTo(DeviceNodeSet.EMPTY);
  }

  @Test
  void setsCombineWithoutDuplicates() {
    DeviceNodeSet a = nodes.vhostNet();
    assertThat(a.plus(a).nodes()).hasSize(2);
    assertThat(a.plus(DeviceNodeSet.EMPTY)).isEqualTo(a);
  }

  @Test
  void rdmaOfAnAuxDevice() throws Exception {
    var sf = root.pciDevice(PciAddress.parse("0000:af:00.0")).resolve("mlx5_core.sf.1");
    assertThat(nodes.rdmaOf(sf).nodes())
        .containsExactly(node("/dev/infiniband/rdma_cm", "/dev/infiniband/rdma_cm"));
  }

  static PciFunction withGroup(PciFunction f, IommuGroup g) {
    return new PciFunction(
        f.address(),
        f.vendor(),
        f.device(),
        f.classCode(),
        f.subsystemVendor(),
        f.subsystemDevice(),
        f.driver(),
        f.numaNode(),
        Optional.of(g),
        f.acpiIndex(),
        f.uioDevices());
  }
}
