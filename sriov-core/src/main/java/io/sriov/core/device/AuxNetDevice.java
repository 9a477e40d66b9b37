package io.sriov.core.device;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An auxiliary network device, typically a sub-function ({@code mlx5_core.sf.4}) of a class-0x02
 * PCI parent.
 *
 * @param parent the parent PCI function (its vendor/device/NUMA are the device's)
 * @param sfIndex the SF number ({@code sfnum}), when known
 * @param pfName the parent PF's netdev name
 */
public record AuxNetDevice(
    AuxDeviceName name,
    PciFunction parent,
    Optional<DriverName> auxDriver,
    OptionalInt sfIndex,
    Optional<InterfaceName> pfName,
    Optional<NetInterface> netdev,
    LinkType linkType,
    RdmaInfo rdma)
    implements Device {

  public AuxNetDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(auxDriver, "auxDriver");
    Objects.requireNonNull(sfIndex, "sfIndex");
    Objects.requireNonNull(pfName, "pfName");
    Objects.requireNonNull(netdev, "netdev");
    Objects.requireNonNull(linkType, "linkType");
    Objects.requireNonNull(rdma, "rdma");
  }

  /** This device with {@code netdev} instead (e.g. its netdev with altnames read elsewhere). */
  public AuxNetDevice withNetdev(Optional<NetInterface> netdev) {
    return new AuxNetDevice(name, parent, auxDriver, sfIndex, pfName, netdev, linkType, rdma);
  }

  /** This device with {@code rdma} instead (e.g. RDMA enabled as devlink says). */
  public AuxNetDevice withRdma(RdmaInfo rdma) {
    return new AuxNetDevice(name, parent, auxDriver, sfIndex, pfName, netdev, linkType, rdma);
  }

  public String auxType() {
    return name.type();
  }

  @Override
  public String id() {
    return name.toString();
  }

  @Override
  public PciId vendor() {
    return parent.vendor();
  }

  @Override
  public PciId deviceId() {
    return parent.device();
  }

  @Override
  public Optional<DriverName> driver() {
    return auxDriver;
  }

  @Override
  public OptionalInt numaNode() {
    return parent.numaNode();
  }

  @Override
  public Optional<PciAddress> pfAddress() {
    return Optional.of(parent.address());
  }

  @Override
  public OptionalInt functionIndex() {
    return sfIndex;
  }

  @Override
  public PciFunction pci() {
    return parent;
  }
}
