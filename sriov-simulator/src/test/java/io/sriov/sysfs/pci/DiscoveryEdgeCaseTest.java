package io.sriov.sysfs.pci;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.IommuGroup;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.OperState;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.core.port.DeviceDiscovery.Result;
import io.sriov.core.port.DeviceDiscovery.Skipped;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.simulator.SimulatedNode;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each attribute's odd cases and each failure: the built-in simulated node, then one file changed
 * the way a weird or racing node would show it.
 */
class DiscoveryEdgeCaseTest {
  static final PciAddress PF = PciAddress.parse("0000:3b:00.0");
  static final PciAddress VF1 = PciAddress.parse("0000:3c:00.1");
  static final PciAddress MLX_PF = PciAddress.parse("0000:af:00.0");
  static final PciAddress MLX_VF0 = PciAddress.parse("0000:b0:00.0");

  @TempDir Path dir;
  SimulatedNode node;
  SysfsRoot root;
  SysfsDeviceDiscovery discovery;

  @BeforeEach
  void setUp() throws Exception {
    node = SimulatedNode.builtIn(dir);
    root = node.root();
    discovery = new SysfsDeviceDiscovery(root, this::reader);
  }

  /** The reader under test; {@link DiscoveryEdgeCaseNioTest} runs every case with the other. */
  SysfsReader reader() {
    SysfsReader r = SysfsReader.create();
    assertThat(r).isInstanceOf(NativeSysfsReader.class);
    return r;
  }

  Path dev(PciAddress a) {
    return root.pciDevice(a);
  }

  /** Sets (value non-null) or removes one KEY of a device's uevent. */
  void uevent(PciAddress a, String key, String value) throws IOException {
    Path f = dev(a).resolve("uevent");
    StringBuilder b = new StringBuilder();
    for (String line : Files.readAllLines(f)) {
      if (!line.startsWith(key + "=")) {
        b.append(line).append('\n');
      }
    }
    if (value != null) {
      b.append(key).append('=').append(value).append('\n');
    }
    Files.writeString(f, b.toString());
  }

  /** Without uevent, discovery falls back to the individual files and the driver link. */
  void noUevent(PciAddress a) throws IOException {
    Files.delete(dev(a).resolve("uevent"));
  }

  void write(Path p, String s) throws IOException {
    Files.writeString(p, s);
  }

  Result all() {
    return discovery.discoverAll();
  }

  static Optional<Device> find(Result r, String id) {
    return r.devices().stream().filter(d -> d.id().equals(id)).findFirst();
  }

  static PciNetDevice net(Result r, String id) {
    return (PciNetDevice) find(r, id).orElseThrow(() -> new AssertionError("missing " + id));
  }

  /** The device is absent from the devices and is skipped with exactly this reason. */
  static void assertSkipped(Result r, String id, String reason) {
    assertThat(find(r, id)).isEmpty();
    assertThat(r.skipped()).contains(new Skipped(id, reason));
  }

  // ---- identity attributes

  @Test
  void missingClass() throws Exception {
    noUevent(VF1);
    Files.delete(dev(VF1).resolve("class"));
    Result r = all();
    assertSkipped(r, "0000:3c:00.1", "class: missing");
    assertThat(r.skipped()).hasSize(1);
    assertThat(r.devices()).hasSize(12);
  }

  @Test
  void malformedUeventClass() throws Exception {
    uevent(VF1, "PCI_CLASS", "ZZ0000");
    assertSkipped(all(), "0000:3c:00.1", "uevent PCI_CLASS: \"ZZ0000\" is not a hex number");
  }

  @Test
  void malformedUeventId() throws Exception {
    uevent(VF1, "PCI_ID", "8086-1889");
    assertSkipped(all(), "0000:3c:00.1", "uevent PCI_ID: \"8086-1889\" is malformed");
  }

  @Test
  void ueventIdsAndDriverAgreeWithTheFiles() throws Exception {
    PciNetDevice fromUevent = net(all(), "0000:3c:00.1");
    noUevent(VF1);
    assertThat(net(all(), "0000:3c:00.1")).isEqualTo(fromUevent);
  }

  @Test
  void invalidDriverNameInUevent() throws Exception {
    uevent(VF1, "DRIVER", "../evil");
    assertSkipped(
        all(),
        "0000:3c:00.1",
        "driver: driver name \"../evil\": '/' is not allowed (letters, digits, _ - . only)");
  }

  @Test
  void malformedClass() throws Exception {
    noUevent(VF1);
    write(dev(VF1).resolve("class"), "0xzz0000\n");
    assertSkipped(all(), "0000:3c:00.1", "class: \"0xzz0000\" is not a hex number");
  }

  @Test
  void missingVendor() throws Exception {
    noUevent(VF1);
    Files.delete(dev(VF1).resolve("vendor"));
    assertSkipped(all(), "0000:3c:00.1", "vendor: missing");
  }

  @Test
  void vendorWiderThan16Bits() throws Exception {
    noUevent(VF1);
    write(dev(VF1).resolve("device"), "0x123456\n");
    assertSkipped(all(), "0000:3c:00.1", "device: \"0x123456\" is not a 16-bit ID");
  }

  @Test
  void missingSubsystemIdsAreJustAbsent() throws Exception {
    noUevent(VF1);
    Files.delete(dev(VF1).resolve("subsystem_vendor"));
    Files.delete(dev(VF1).resolve("subsystem_device"));
    PciNetDevice vf = net(all(), "0000:3c:00.1");
    assertThat(vf.pci().subsystemVendor()).isEmpty();
    assertThat(vf.pci().subsystemDevice()).isEmpty();
  }

  @Test
  void otherClassesAreIgnoredNotSkipped() throws Exception {
    uevent(VF1, "PCI_CLASS", "60400"); // a PCI bridge
    Result r = all();
    assertThat(find(r, "0000:3c:00.1")).isEmpty();
    assertThat(r.skipped()).isEmpty();
  }

  @Test
  void infinibandControllerWithoutNetdevIsInfiniband() throws Exception {
    uevent(PF, "PCI_CLASS", "20700");
    Files.delete(root.classNet().resolve("ens1f0"));
    deleteTree(dev(PF).resolve("net"));
    assertThat(net(all(), "0000:3b:00.0").linkType()).isEqualTo(LinkType.INFINIBAND);
  }

  // ---- links and races

  @Test
  void danglingBusLinkOfARemovedDevice() throws Exception {
    deleteTree(dev(VF1).toRealPath());
    assertSkipped(
        all(),
        "0000:3c:00.1",
        "device directory missing (dangling link or removed during discovery)");
  }

  @Test
  void entryThatIsNotAPciAddress() throws Exception {
    Files.createSymbolicLink(root.pciDevices().resolve("garbage"), Path.of("nowhere"));
    assertThat(all().skipped())
        .containsExactly(
            new Skipped(
                "garbage",
                "not a PCI address: PCI address \"garbage\": expected the form dddd:bb:dd.f"
                    + " (e.g. 0000:af:06.0)"));
  }

  @Test
  void vfTheParentDoesNotListIsRacing() throws Exception {
    Files.delete(dev(PF).resolve("virtfn1"));
    assertSkipped(
        all(),
        "0000:3c:00.1",
        "physfn: PF 0000:3b:00.0 does not list this VF (VFs being created or removed?)");
  }

  @Test
  void physfnThatPointsNowhereUseful() throws Exception {
    Files.delete(dev(VF1).resolve("physfn"));
    Files.createSymbolicLink(dev(VF1).resolve("physfn"), Path.of("../../bogus"));
    assertSkipped(all(), "0000:3c:00.1", "physfn: link target is not a PCI device: bogus");
  }

  @Test
  void danglingDriverLinkStillNamesTheDriver() throws Exception {
    noUevent(VF1);
    Files.delete(dev(VF1).resolve("driver"));
    Files.createSymbolicLink(dev(VF1).resolve("driver"), Path.of("../../../bus/pci/drivers/gone"));
    assertThat(net(all(), "0000:3c:00.1").driver()).contains(DriverName.of("gone"));
  }

  @Test
  void unboundDevice() throws Exception {
    uevent(VF1, "DRIVER", null);
    assertThat(net(all(), "0000:3c:00.1").driver()).isEmpty();
  }

  @Test
  void driverThatIsNotALink() throws Exception {
    noUevent(VF1);
    Files.delete(dev(VF1).resolve("driver"));
    write(dev(VF1).resolve("driver"), "iavf");
    assertSkipped(all(), "0000:3c:00.1", "driver: not a symbolic link");
  }

  // ---- NUMA, IOMMU, ACPI, uio

  @Test
  void numaMinusOneIsNoTopology() throws Exception {
    write(dev(VF1).resolve("numa_node"), "-1\n");
    assertThat(net(all(), "0000:3c:00.1").numaNode()).isEqualTo(OptionalInt.empty());
  }

  @Test
  void malformedNuma() throws Exception {
    write(dev(VF1).resolve("numa_node"), "zero\n");
    assertSkipped(all(), "0000:3c:00.1", "numa_node: \"zero\" is not a number");
  }

  @Test
  void noIommuGroup() throws Exception {
    Files.delete(dev(VF1).resolve("iommu_group"));
    assertThat(net(all(), "0000:3c:00.1").pci().iommuGroup()).isEmpty();
  }

  @Test
  void malformedIommuGroupLink() throws Exception {
    Files.delete(dev(VF1).resolve("iommu_group"));
    Files.createSymbolicLink(dev(VF1).resolve("iommu_group"), Path.of("../groups/abc"));
    assertSkipped(all(), "0000:3c:00.1", "iommu_group: \"abc\" is not a number");
  }

  @Test
  void vfioNoIommuGroup() throws Exception {
    var p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    p.bindDriver(VF1, DriverName.VFIO_PCI);
    Path group = dev(VF1).resolve("iommu_group").toRealPath();
    write(group.resolve("name"), "vfio-noiommu\n");
    PciNetDevice vf = net(all(), "0000:3c:00.1");
    int n = Integer.parseInt(group.getFileName().toString());
    assertThat(vf.pci().iommuGroup()).contains(new IommuGroup(n, true));
    assertThat(vf.netdev()).isEmpty();
    assertThat(vf.linkType()).isEqualTo(LinkType.ETHER); // from the PF
  }

  @Test
  void acpiIndexMalformed() throws Exception {
    write(dev(PF).resolve("acpi_index"), "x\n");
    assertSkipped(all(), "0000:3b:00.0", "acpi_index: \"x\" is not a number");
  }

  @Test
  void uioDevices() throws Exception {
    Files.createDirectories(dev(VF1).resolve("uio/uio3"));
    assertThat(net(all(), "0000:3c:00.1").pci().uioDevices()).containsExactly("uio3");
  }

  // ---- SR-IOV counts

  @Test
  void numVfsAboveTotal() throws Exception {
    write(dev(PF).resolve("sriov_numvfs"), "300\n");
    Result r = all();
    assertSkipped(r, "0000:3b:00.0", "sriov_numvfs 300 and sriov_totalvfs 256 are inconsistent");
    // its VFs are still readable on their own
    assertThat(net(r, "0000:3c:00.1").pfName()).contains(InterfaceName.of("ens1f0"));
  }

  @Test
  void numVfsMissing() throws Exception {
    Files.delete(dev(PF).resolve("sriov_numvfs"));
    assertSkipped(all(), "0000:3b:00.0", "sriov_numvfs: missing");
  }

  // ---- netdevs

  @Test
  void malformedMtu() throws Exception {
    write(dev(VF1).resolve("net/ens1f0v1/mtu"), "big\n");
    assertSkipped(all(), "0000:3c:00.1", "net/ens1f0v1/mtu: \"big\" is not a number");
  }

  @Test
  void netdevMissingAFile() throws Exception {
    Files.delete(dev(VF1).resolve("net/ens1f0v1/type"));
    assertSkipped(all(), "0000:3c:00.1", "net/ens1f0v1/type: missing");
  }

  @Test
  void netdevThatLeftWhileReadingIsAbsent() throws Exception {
    try (DeviceDir dir = DeviceDir.open(new SysfsReader.Pool(SysfsReader::create), dev(VF1))) {
      assertThat(NetdevReader.read(dir, "gone", true, null)).isEmpty();
    }
  }

  @Test
  void malformedMac() throws Exception {
    write(dev(VF1).resolve("net/ens1f0v1/address"), "zz:00:00:00:00:01\n");
    assertSkipped(
        all(),
        "0000:3c:00.1",
        "net/ens1f0v1/address: MAC address \"zz:00:00:00:00:01\": octet 1" + " is not hex");
  }

  @Test
  void infinibandHardwareAddressHasNoMac() throws Exception {
    write(
        dev(VF1).resolve("net/ens1f0v1/address"),
        "00:00:10:87:fe:80:00:00:00:00:00:00:0c:42:a1:03:00:b1:c2:d3\n");
    write(dev(VF1).resolve("net/ens1f0v1/type"), "32\n");
    PciNetDevice vf = net(all(), "0000:3c:00.1");
    assertThat(vf.netdev().orElseThrow().mac()).isEmpty();
    assertThat(vf.linkType()).isEqualTo(LinkType.INFINIBAND);
  }

  @Test
  void downLinkCarrierAndSpeedUnreadable() throws Exception {
    Files.delete(dev(VF1).resolve("net/ens1f0v1/carrier"));
    write(dev(VF1).resolve("net/ens1f0v1/speed"), "-1\n");
    write(dev(VF1).resolve("net/ens1f0v1/operstate"), "down\n");
    var nd = net(all(), "0000:3c:00.1").netdev().orElseThrow();
    assertThat(nd.carrier()).isFalse();
    assertThat(nd.speedMbps()).isEmpty();
    assertThat(nd.operState()).isEqualTo(OperState.DOWN);
  }

  @Test
  void carrierIsReadOnlyWhenOperstateDoesNotTell() throws Exception {
    Path nd = dev(VF1).resolve("net/ens1f0v1");
    write(nd.resolve("carrier"), "0\n"); // ignored: operstate up implies carrier
    assertThat(net(all(), "0000:3c:00.1").netdev().orElseThrow().carrier()).isTrue();
    write(nd.resolve("operstate"), "unknown\n");
    assertThat(net(all(), "0000:3c:00.1").netdev().orElseThrow().carrier()).isFalse();
    write(nd.resolve("carrier"), "1\n");
    var netdev = net(all(), "0000:3c:00.1").netdev().orElseThrow();
    assertThat(netdev.carrier()).isTrue();
    assertThat(netdev.operState()).isEqualTo(OperState.UNKNOWN);
    write(nd.resolve("operstate"), "lowerlayerdown\n");
    netdev = net(all(), "0000:3c:00.1").netdev().orElseThrow();
    assertThat(netdev.carrier()).isFalse();
    assertThat(netdev.speedMbps()).isEmpty();
  }

  @Test
  void unsignedMinusOneSpeedIsUnknown() throws Exception {
    assertThat(net(all(), "0000:3b:00.0").netdev().orElseThrow().speedMbps()).isPresent();
    write(dev(PF).resolve("net/ens1f0/speed"), "4294967295\n");
    assertThat(net(all(), "0000:3b:00.0").netdev().orElseThrow().speedMbps()).isEmpty();
  }

  @Test
  void malformedSpeed() throws Exception {
    write(dev(PF).resolve("net/ens1f0/speed"), "fast\n");
    assertSkipped(all(), "0000:3b:00.0", "net/ens1f0/speed: \"fast\" is not a number");
  }

  @Test
  void partitionKeyIsIndexZeroOfPortOneAsTheKernelShowsIt() throws Exception {
    Path pkeys = dev(MLX_PF).resolve("infiniband/mlx5_0/ports/1/pkeys");
    write(pkeys.resolve("0"), "0x8001\n");
    write(pkeys.resolve("1"), "0x7fff\n");
    assertThat(net(all(), "0000:af:00.0").pKey()).contains("0x8001");
  }

  @Test
  void missingPartitionKeyIsEmptyNotASkip() throws Exception {
    Files.delete(dev(MLX_PF).resolve("infiniband/mlx5_0/ports/1/pkeys/0"));
    var pf = net(all(), "0000:af:00.0");
    assertThat(pf.pKey()).isEmpty();
    assertThat(pf.rdma().devices()).containsExactly("mlx5_0");
  }

  @Test
  void vfNetdevLeavesOutSpeedAndPortIds() throws Exception {
    // VF drivers report the PF's speed and implement neither port attribute: the walk does not
    // read the three files for a VF, so even malformed ones do not matter.
    Path nd = dev(VF1).resolve("net/ens1f0v1");
    write(nd.resolve("speed"), "fast\n");
    write(nd.resolve("phys_port_name"), "pf0vf1\n");
    write(nd.resolve("phys_switch_id"), "aabbcc\n");
    var netdev = net(all(), "0000:3c:00.1").netdev().orElseThrow();
    assertThat(netdev.speedMbps()).isEmpty();
    assertThat(netdev.physPortName()).isEmpty();
    assertThat(netdev.physSwitchId()).isEmpty();
  }

  @Test
  void invalidNetdevName() throws Exception {
    Files.move(dev(VF1).resolve("net/ens1f0v1"), dev(VF1).resolve("net/a-name-that-is-too-long"));
    assertSkipped(
        all(),
        "0000:3c:00.1",
        "net/a-name-that-is-too-long: interface name \"a-name-that-is-too-long\": longer than 15"
            + " bytes");
  }

  @Test
  void switchdevPfPicksTheUplinkAmongRepresentors() throws Exception {
    Path net = dev(MLX_PF).resolve("net");
    for (String rep : List.of("eth0", "eth1")) {
      Files.createDirectories(net.resolve(rep));
      for (String f : List.of("mtu", "type", "carrier", "operstate", "speed")) {
        Files.copy(net.resolve("ens2f0np0").resolve(f), net.resolve(rep).resolve(f));
      }
      write(net.resolve(rep).resolve("address"), "02:00:00:00:00:0" + rep.charAt(3) + "\n");
      write(net.resolve(rep).resolve("phys_port_name"), "pf0vf" + rep.charAt(3) + "\n");
    }
    assertThat(net(all(), "0000:af:00.0").netdev().orElseThrow().name())
        .isEqualTo(InterfaceName.of("ens2f0np0"));
  }

  @Test
  void virtioNetdevOneLevelDown() throws Exception {
    // a virtio-net function keeps its netdev under virtioN/net
    uevent(PF, "PCI_ID", "1AF4:1041");
    Files.move(
        dev(PF).resolve("net"), Files.createDirectories(dev(PF).resolve("virtio3")).resolve("net"));
    assertThat(net(all(), "0000:3b:00.0").netdev().orElseThrow().name())
        .isEqualTo(InterfaceName.of("ens1f0"));
  }

  // ---- RDMA, vDPA, aux

  @Test
  void rdmaDevicesOfPfAndVf() {
    Result r = all();
    assertThat(net(r, "0000:af:00.0").rdma().devices()).containsExactly("mlx5_0");
    assertThat(net(r, "0000:b0:00.0").rdma().devices()).containsExactly("mlx5_1");
    assertThat(net(r, "0000:3b:00.0").rdma().capable()).isFalse();
  }

  @Test
  void vdpaDeviceOfAVf() throws Exception {
    Path vdpaDir = Files.createDirectories(dev(MLX_VF0).toRealPath().resolve("vdpa0"));
    Files.createDirectories(vdpaDir.resolve("vhost-vdpa-0"));
    Path drv = Files.createDirectories(root.sys().resolve("bus/vdpa/drivers/vhost_vdpa"));
    Files.createSymbolicLink(vdpaDir.resolve("driver"), vdpaDir.relativize(drv));
    Files.createSymbolicLink(
        root.vdpaDevices().resolve("vdpa0"), root.vdpaDevices().relativize(vdpaDir));
    assertThat(net(all(), "0000:b0:00.0").vdpa())
        .contains(new VdpaDevice("vdpa0", VdpaType.VHOST, Optional.of("vhost-vdpa-0")));
  }

  @Test
  void auxDeviceWithAnUnparsableName() throws Exception {
    Path weird = Files.createDirectories(dev(MLX_PF).toRealPath().resolve("weird"));
    Files.createSymbolicLink(
        root.auxDevices().resolve("weird"), root.auxDevices().relativize(weird));
    assertThat(all().skipped())
        .containsExactly(
            new Skipped("weird", "auxiliary device name \"weird\": expected <driver>.<type>.<id>"));
  }

  @Test
  void auxDeviceOfASkippedParent() throws Exception {
    uevent(MLX_PF, "PCI_ID", "15b3");
    Result r = all();
    assertSkipped(r, "mlx5_core.sf.1", "parent 0000:af:00.0 was skipped");
    assertSkipped(r, "0000:af:00.0", "uevent PCI_ID: \"15b3\" is malformed");
  }

  @Test
  void auxDeviceWithAMalformedSfnum() throws Exception {
    write(dev(MLX_PF).resolve("mlx5_core.sf.1/sfnum"), "one\n");
    assertSkipped(all(), "mlx5_core.sf.1", "sfnum: \"one\" is not a number");
  }

  @Test
  void auxDeviceWithoutNetdevUsesItsParentsLinkType() throws Exception {
    deleteTree(dev(MLX_PF).resolve("mlx5_core.sf.1/mlx5_core.eth.1"));
    AuxNetDevice sf = (AuxNetDevice) find(all(), "mlx5_core.sf.1").orElseThrow();
    assertThat(sf.netdev()).isEmpty();
    assertThat(sf.linkType()).isEqualTo(LinkType.ETHER);
  }

  @Test
  void nodeWithoutAuxiliaryOrVdpaBus() throws Exception {
    deleteTree(root.auxDevices().getParent());
    deleteTree(root.vdpaDevices().getParent());
    Result r = all();
    assertThat(r.skipped()).isEmpty();
    assertThat(r.devices()).hasSize(12);
    assertThat(discovery.discoverPf(MLX_PF).devices()).hasSize(3);
  }

  @Test
  void nodeWithoutPciBus() throws Exception {
    deleteTree(root.sys().resolve("bus/pci"));
    Result r = all();
    assertThat(r.devices()).isEmpty();
    assertThat(r.skipped()).isEmpty();
  }

  // ---- discoverPf

  @Test
  void discoverPfOfAVf() {
    Result r = discovery.discoverPf(VF1);
    assertThat(r.devices()).isEmpty();
    assertThat(r.skipped())
        .containsExactly(new Skipped("0000:3c:00.1", "is VF 1 of 0000:3b:00.0, not a PF"));
  }

  @Test
  void discoverPfThatDoesNotExist() {
    assertThat(discovery.discoverPf(PciAddress.parse("0000:99:00.0")).skipped())
        .containsExactly(
            new Skipped(
                "0000:99:00.0",
                "device directory missing (dangling link or removed during discovery)"));
  }

  @Test
  void discoverPfOfAnotherClass() throws Exception {
    uevent(PF, "PCI_CLASS", "10802");
    assertThat(discovery.discoverPf(PF).skipped())
        .containsExactly(new Skipped("0000:3b:00.0", "not a network or accelerator PCI function"));
  }

  @Test
  void discoverPfSeesNewVfs() throws Exception {
    var p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    p.setNumVfs(PciAddress.parse("0000:3b:00.1"), 3);
    Result r = discovery.discoverPf(PciAddress.parse("0000:3b:00.1"));
    assertThat(r.devices().stream().map(Device::id))
        .containsExactly("0000:3b:00.1", "0000:3d:00.0", "0000:3d:00.1", "0000:3d:00.2");
    assertThat(net(r, "0000:3d:00.2").functionIndex()).isEqualTo(OptionalInt.of(2));
  }

  @Test
  void discoverPfWithVerifiedVfsTakesTheirLinksAsRead() throws Exception {
    PciAddress pf = PciAddress.parse("0000:3b:00.1");
    var p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    List<PciAddress> vfs = p.setNumVfs(pf, 3).vfs();
    Result read = discovery.discoverPf(pf);
    assertThat(discovery.discoverPf(pf, vfs)).isEqualTo(read);
    // The VF's physfn link is not read again: gone now, the verified VF is still VF 2 of the PF
    // (read without the verified list, it is no VF).
    Files.delete(dev(vfs.get(2)).resolve("physfn"));
    assertThat(discovery.discoverPf(pf, vfs)).isEqualTo(read);
    assertThat(net(read, "0000:3d:00.2").isVf()).isTrue();
    assertThat(net(discovery.discoverPf(pf), "0000:3d:00.2").isVf()).isFalse();
  }

  @Test
  void verifiedVfsTakeTheirPfsNumaNode() throws Exception {
    PciAddress pf = PciAddress.parse("0000:3b:00.1");
    var p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    List<PciAddress> vfs = p.setNumVfs(pf, 3).vfs();
    Result read = discovery.discoverPf(pf);
    assertThat(net(read, vfs.get(1).toString()).pci().numaNode())
        .isEqualTo(net(read, pf.toString()).pci().numaNode());
    // The verified VF's numa_node is not read: its PF's is taken (a fresh read without the
    // verified list still reads the VF's own).
    Files.writeString(dev(vfs.get(1)).resolve("numa_node"), "7\n");
    assertThat(discovery.discoverPf(pf, vfs)).isEqualTo(read);
    assertThat(net(discovery.discoverPf(pf), vfs.get(1).toString()).pci().numaNode())
        .isEqualTo(OptionalInt.of(7));
  }

  @Test
  void uioIsListedOnlyForAFunctionOnAUioDriver() throws Exception {
    Files.createDirectories(dev(VF1).resolve("uio").resolve("uio3"));
    uevent(VF1, "DRIVER", "uio_pci_generic");
    assertThat(net(all(), VF1.toString()).pci().uioDevices()).containsExactly("uio3");
    uevent(VF1, "DRIVER", "vfio-pci");
    assertThat(net(all(), VF1.toString()).pci().uioDevices()).isEmpty();
    uevent(VF1, "DRIVER", null);
    assertThat(net(all(), VF1.toString()).pci().uioDevices()).isEmpty();
  }

  @Test
  void discoverPfWithAStaleVfListReadsTheLinks() throws Exception {
    PciAddress pf = PciAddress.parse("0000:3b:00.1");
    var p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    List<PciAddress> two = p.setNumVfs(pf, 2).vfs();
    p.setNumVfs(pf, 3);
    Result r = discovery.discoverPf(pf, two);
    assertThat(r).isEqualTo(discovery.discoverPf(pf));
    assertThat(r.devices()).hasSize(4);
  }

  @Test
  void aFunctionWithoutAKernelDriverHasNoNetdevOrRdmaDevice() throws Exception {
    // The netdev directory is still in the tree, but no kernel driver registered it: an unbound
    // function (or one on vfio-pci or UIO) is not looked at for net/ and infiniband/.
    assertThat(net(all(), "0000:3c:00.1").netdev()).isPresent();
    uevent(VF1, "DRIVER", null);
    PciNetDevice unbound = net(all(), "0000:3c:00.1");
    assertThat(unbound.netdev()).isEmpty();
    assertThat(unbound.rdma().devices()).isEmpty();
    uevent(VF1, "DRIVER", "igb_uio");
    assertThat(net(all(), "0000:3c:00.1").netdev()).isEmpty();
  }

  @Test
  void functionsListsEveryClass() throws Exception {
    uevent(VF1, "PCI_CLASS", "60400");
    PciFunctions f = discovery.discoverFunctions();
    assertThat(f.functions()).hasSize(12);
    assertThat(f.functions().stream().filter(x -> x.address().equals(VF1)).findFirst())
        .hasValueSatisfying(x -> assertThat(x.classCode()).isEqualTo(0x060400));
  }

  static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
