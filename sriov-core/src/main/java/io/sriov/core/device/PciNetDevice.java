package io.sriov.core.device;

import io.sriov.core.value.InterfaceName;
import java.util.Objects;
import java.util.Optional;

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
    implements PciDevice {

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

  /** This device with {@code netdev} instead (e.g. its netdev with altnames read elsewhere). */
  public PciNetDevice withNetdev(Optional<NetInterface> netdev) {
    return new PciNetDevice(pci, role, netdev, linkType, rdma, vdpa, ddpProfile, pKey);
  }

  /** This device with {@code ddpProfile} instead. */
  /** This device with {@code rdma} instead (e.g. RDMA enabled as devlink says). */
  public PciNetDevice withRdma(RdmaInfo rdma) {
    return new PciNetDevice(pci, role, netdev, linkType, rdma, vdpa, ddpProfile, pKey);
  }

  public PciNetDevice withDdpProfile(Optional<String> ddpProfile) {
    return new PciNetDevice(pci, role, netdev, linkType, rdma, vdpa, ddpProfile, pKey);
  }

  @Override
  public Optional<InterfaceName> pfName() {
    return role instanceof SriovRole.VirtualFunction vf ? vf.pfName() : Optional.empty();
  }
}
