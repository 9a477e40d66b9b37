package io.sriov.daemon.observe;

import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciFunction;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.route.VfInfo;
import java.util.Objects;
import java.util.Optional;

/**
 * A VF as sysfs ({@code device}) and its PF's rtnetlink view ({@code pfView}: the {@code vf N} line
 * of {@code ip link show <pf>}) show it.
 *
 * @param pfView empty when the PF has no netdev or did not report the VF
 */
public record ObservedVf(int index, PciNetDevice device, Optional<VfInfo> pfView) {
  public ObservedVf {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(pfView, "pfView");
  }

  /** The administrative MAC set through the PF; empty when unset (all zero) or unknown. */
  public Optional<MacAddress> adminMac() {
    return pfView.map(VfInfo::mac).filter(m -> !m.isZero());
  }

  /** The MAC the VF's netdev uses; empty without a netdev. */
  public Optional<MacAddress> effectiveMac() {
    return device.netdev().flatMap(n -> n.mac());
  }

  /**
   * This VF once bound to {@code vfio-pci}, the bind verified by its {@code driver} link: no
   * netdev, no RDMA and no vDPA device (a userspace driver registers none, and the kernel driver
   * that had them let the VF go), the same PCI identity. Used for the state an apply leaves,
   * instead of reading the VF again ({@code ls /sys/bus/pci/devices/<vf>/net} would be empty).
   */
  public ObservedVf onVfioPci() {
    PciFunction p = device.pci();
    PciFunction bound =
        new PciFunction(
            p.address(),
            p.vendor(),
            p.device(),
            p.classCode(),
            p.subsystemVendor(),
            p.subsystemDevice(),
            Optional.of(DriverName.VFIO_PCI),
            p.numaNode(),
            p.iommuGroup(),
            p.acpiIndex(),
            p.uioDevices());
    PciNetDevice d =
        new PciNetDevice(
            bound,
            device.role(),
            Optional.empty(),
            device.linkType(),
            RdmaInfo.NONE,
            Optional.empty(),
            device.ddpProfile(),
            Optional.empty());
    return new ObservedVf(index, d, pfView);
  }

  /**
   * This VF with its netdev's MTU set to {@code mtu} (the kernel acknowledged {@code ip link set
   * <vf> mtu N}); unchanged without a netdev.
   */
  public ObservedVf withMtu(int mtu) {
    Optional<NetInterface> n =
        device
            .netdev()
            .map(
                x ->
                    new NetInterface(
                        x.name(),
                        x.altNames(),
                        x.mac(),
                        mtu,
                        x.linkType(),
                        x.operState(),
                        x.carrier(),
                        x.speedMbps(),
                        x.physPortName(),
                        x.physSwitchId()));
    return new ObservedVf(index, device.withNetdev(n), pfView);
  }

  /**
   * This VF with the admin MAC {@code mac} in its PF's view (the kernel acknowledged {@code ip link
   * set <pf> vf N mac M}); unchanged when the PF did not report the VF.
   */
  public ObservedVf withAdminMac(MacAddress mac) {
    return new ObservedVf(
        index,
        device,
        pfView.map(
            v ->
                new VfInfo(
                    v.vf(),
                    mac,
                    v.vlans(),
                    v.minTxRateMbps(),
                    v.maxTxRateMbps(),
                    v.spoofCheck(),
                    v.trust(),
                    v.linkState(),
                    v.stats())));
  }
}
