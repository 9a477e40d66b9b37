package io.sriov.core.device;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A PCI network function (class 0x02): a PF, a VF, or a NIC without SR-IOV.
 *
 * @param netdev its kernel netdev in the host namespace; empty when bound to vfio-pci/uio or when
 *     the netdev was moved into a pod
 * @param linkType the netdev's link type, or the PF's when the VF has no netdev
 * @param ddpProfile Intel DDP package name ({@code devlink dev info} fw.app.name), when known
 * @param pKey InfiniBand default partition key, when known
 */
public record PciNetDevice(
    PciFunction pci,
    SriovRole role,
    Optional<NetInterface> netdev,
    LinkType linkType,
    RdmaInfo rdma,
    Optional<VdpaDevice> vdpa,
    Optional<String> ddpProfile,
    Optional<String> pKey)
    implements Device {

  public PciNetDevice {
    Objects.requireNonNull(pci, "pci");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(netdev, "netdev");
    Objects.requireNonNull(linkType, "linkType");
    Objects.requireNonNull(rdma, "rdma");
    Objects.requireNonNull(vdpa, "vdpa");
    Objects.requireNonNull(ddpProfile, "ddpProfile");
    Objects.requireNonNull(pKey, "pKey");
  }

  public PciAddress address() {
    return pci.address();
  }

  public boolean isVf() {
    return role instanceof SriovRole.VirtualFunction;
  }

  public boolean isPf() {
    return role instanceof SriovRole.PhysicalFunction;
  }

  @Override
  public String id() {
    return pci.address().toString();
  }

  @Override
  public PciId vendor() {
    return pci.vendor();
  }

  @Override
  public PciId deviceId() {
    return pci.device();
  }

  @Override
  public Optional<DriverName> driver() {
    return pci.driver();
  }

  @Override
  public OptionalInt numaNode() {
    return pci.numaNode();
  }

  @Override
  public Optional<InterfaceName> pfName() {
    return role instanceof SriovRole.VirtualFunction vf ? vf.pfName() : Optional.empty();
  }

  @Override
  public Optional<PciAddress> pfAddress() {
    return role instanceof SriovRole.VirtualFunction vf ? Optional.of(vf.pf()) : Optional.empty();
  }

  @Override
  public OptionalInt functionIndex() {
    return role instanceof SriovRole.VirtualFunction vf
        ? OptionalInt.of(vf.index().value())
        : OptionalInt.empty();
  }
}
