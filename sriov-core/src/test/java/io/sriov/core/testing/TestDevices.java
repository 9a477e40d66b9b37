package io.sriov.core.testing;

import io.sriov.core.device.AcceleratorDevice;
import io.sriov.core.device.AuxDeviceName;
import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.PciFunction;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.device.SriovRole;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.core.value.VfIndex;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Builders for devices in tests: only what a test sets differs from a plain Intel VF. */
public final class TestDevices {
  private TestDevices() {}

  public static Net net(String address) {
    return new Net(address);
  }

  public static PciFunction pci(String address, String vendor, String device, String driver) {
    return pci(address, vendor, device, driver, OptionalInt.empty(), 0x020000);
  }

  static PciFunction pci(
      String address, String vendor, String device, String driver, OptionalInt acpi, int cls) {
    return new PciFunction(
        PciAddress.parse(address),
        PciId.parse(vendor),
        PciId.parse(device),
        cls,
        Optional.empty(),
        Optional.empty(),
        Optional.ofNullable(driver).map(DriverName::of),
        OptionalInt.of(0),
        Optional.empty(),
        acpi,
        List.of());
  }

  public static AcceleratorDevice accelerator(String address, String vendor, String device) {
    return new AcceleratorDevice(
        pci(address, vendor, device, "vfio-pci", OptionalInt.empty(), 0x120000), SriovRole.NONE);
  }

  /** An SF {@code mlx5_core.<type>.<id>} of the given parent. */
  public static AuxNetDevice aux(
      String name, String parent, String pfName, Integer sfIndex, boolean rdma) {
    return new AuxNetDevice(
        AuxDeviceName.parse(name),
        pci(parent, "15b3", "a2d6", "mlx5_core"),
        Optional.of(DriverName.of("mlx5_core.sf")),
        sfIndex == null ? OptionalInt.empty() : OptionalInt.of(sfIndex),
        Optional.ofNullable(pfName).map(InterfaceName::of),
        Optional.empty(),
        LinkType.ETHER,
        rdma ? new RdmaInfo(List.of("mlx5_9")) : RdmaInfo.NONE);
  }

  /** A PCI network device builder; starts as an Intel 8086:154c VF bound to iavf. */
  public static final class Net {
    private final String address;
    private String vendor = "8086";
    private String device = "154c";
    private String driver = "iavf";
    private SriovRole role = SriovRole.NONE;
    private LinkType linkType = LinkType.ETHER;
    private RdmaInfo rdma = RdmaInfo.NONE;
    private Optional<VdpaDevice> vdpa = Optional.empty();
    private Optional<String> ddp = Optional.empty();
    private Optional<String> pKey = Optional.empty();
    private OptionalInt acpi = OptionalInt.empty();

    private Net(String address) {
      this.address = address;
    }

    public Net ids(String vendor, String device) {
      this.vendor = vendor;
      this.device = device;
      return this;
    }

    public Net driver(String d) {
      this.driver = d;
      return this;
    }

    public Net vf(String pf, int index, String pfName) {
      this.role =
          new SriovRole.VirtualFunction(
              PciAddress.parse(pf),
              VfIndex.of(index),
              Optional.ofNullable(pfName).map(InterfaceName::of));
      return this;
    }

    public Net pf(int totalVfs) {
      this.role = new SriovRole.PhysicalFunction(totalVfs, 0);
      return this;
    }

    public Net linkType(LinkType t) {
      this.linkType = t;
      return this;
    }

    public Net rdma(String dev) {
      this.rdma = new RdmaInfo(List.of(dev));
      return this;
    }

    public Net vdpa(VdpaType type) {
      this.vdpa = Optional.of(new VdpaDevice("vdpa:" + address, type, Optional.empty()));
      return this;
    }

    public Net ddp(String profile) {
      this.ddp = Optional.of(profile);
      return this;
    }

    public Net pKey(String key) {
      this.pKey = Optional.of(key);
      return this;
    }

    public Net acpiIndex(int index) {
      this.acpi = OptionalInt.of(index);
      return this;
    }

    public PciNetDevice build() {
      return new PciNetDevice(
          pci(address, vendor, device, driver, acpi, 0x020000),
          role,
          Optional.empty(),
          linkType,
          rdma,
          vdpa,
          ddp,
          pKey);
    }
  }
}
