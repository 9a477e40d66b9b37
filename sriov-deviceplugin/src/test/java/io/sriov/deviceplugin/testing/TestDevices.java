package io.sriov.deviceplugin.testing;

import io.sriov.core.device.AuxDeviceName;
import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.IommuGroup;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciFunction;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.device.SriovRole;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.core.value.VfIndex;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds device-model values for tests. */
public final class TestDevices {
  private TestDevices() {}

  /** A PF with {@code numVfs} VFs and netdev {@code name}. */
  public static PciNetDevice pf(String address, String name, int numVfs) {
    PciFunction fn =
        new PciFunction(
            PciAddress.parse(address),
            PciId.parse("8086"),
            PciId.parse("1572"),
            0x020000,
            Optional.empty(),
            Optional.empty(),
            Optional.of(DriverName.of("i40e")),
            OptionalInt.of(0),
            Optional.empty(),
            OptionalInt.empty(),
            List.of());
    return new PciNetDevice(
        fn,
        new SriovRole.PhysicalFunction(64, numVfs),
        Optional.of(
            NetInterface.ether(
                InterfaceName.of(name),
                io.sriov.core.value.MacAddress.parse("02:00:00:00:00:01"),
                1500,
                true)),
        LinkType.ETHER,
        RdmaInfo.NONE,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * A sub-function {@code mlx5_core.sf.<sfnum>} of the mlx5 PF at {@code pf} (netdev {@code
   * pfName}).
   */
  public static AuxNetDevice sf(String pf, String pfName, int sfnum) {
    PciFunction parent =
        new PciFunction(
            PciAddress.parse(pf),
            PciId.parse("15b3"),
            PciId.parse("101d"),
            0x020000,
            Optional.empty(),
            Optional.empty(),
            Optional.of(DriverName.of("mlx5_core")),
            OptionalInt.of(0),
            Optional.empty(),
            OptionalInt.empty(),
            List.of());
    return new AuxNetDevice(
        AuxDeviceName.parse("mlx5_core.sf." + sfnum),
        parent,
        Optional.of(DriverName.of("mlx5_core.sf")),
        OptionalInt.of(sfnum),
        Optional.of(InterfaceName.of(pfName)),
        Optional.empty(),
        LinkType.ETHER,
        RdmaInfo.NONE);
  }

  /** A VF builder: {@code vf("0000:af:00.0", "ens1f0", 3)}. */
  public static Vf vf(String pf, String pfName, int index) {
    return new Vf(pf, pfName, index);
  }

  /** Builder for a VF {@link PciNetDevice}. */
  public static final class Vf {
    private final String pf;
    private final String pfName;
    private final int index;
    private String address;
    private String driver = "iavf";
    private OptionalInt numa = OptionalInt.of(0);
    private Optional<IommuGroup> iommu = Optional.empty();
    private List<String> uio = List.of();
    private RdmaInfo rdma = RdmaInfo.NONE;
    private Optional<VdpaDevice> vdpa = Optional.empty();

    Vf(String pf, String pfName, int index) {
      this.pf = pf;
      this.pfName = pfName;
      this.index = index;
      PciAddress p = PciAddress.parse(pf);
      int slot = p.device() + 2 + index / 8;
      this.address = new PciAddress(p.domain(), p.bus(), slot, index % 8).toString();
    }

    public Vf address(String a) {
      this.address = a;
      return this;
    }

    public Vf driver(String d) {
      this.driver = d;
      return this;
    }

    public Vf numa(int n) {
      this.numa = n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
      return this;
    }

    public Vf iommu(int group, boolean noIommu) {
      this.iommu = Optional.of(new IommuGroup(group, noIommu));
      return this;
    }

    public Vf uio(String... entries) {
      this.uio = List.of(entries);
      return this;
    }

    public Vf rdma(String... devs) {
      this.rdma = new RdmaInfo(List.of(devs));
      return this;
    }

    public Vf vdpa(VdpaDevice v) {
      this.vdpa = Optional.of(v);
      return this;
    }

    public PciNetDevice build() {
      PciFunction fn =
          new PciFunction(
              PciAddress.parse(address),
              PciId.parse("8086"),
              PciId.parse("154c"),
              0x020000,
              Optional.empty(),
              Optional.empty(),
              Optional.of(DriverName.of(driver)),
              numa,
              iommu,
              OptionalInt.empty(),
              uio);
      boolean kernel = !DriverName.of(driver).isUserspaceDriver();
      Optional<NetInterface> netdev =
          kernel
              ? Optional.of(
                  new NetInterface(
                      InterfaceName.of(pfName + "v" + index),
                      List.of(),
                      Optional.empty(),
                      1500,
                      LinkType.ETHER,
                      io.sriov.core.device.OperState.UP,
                      true,
                      OptionalInt.empty(),
                      Optional.empty(),
                      Optional.empty()))
              : Optional.empty();
      return new PciNetDevice(
          fn,
          new SriovRole.VirtualFunction(
              PciAddress.parse(pf), VfIndex.of(index), Optional.of(InterfaceName.of(pfName))),
          netdev,
          LinkType.ETHER,
          rdma,
          vdpa,
          Optional.empty(),
          Optional.empty());
    }
  }
}
