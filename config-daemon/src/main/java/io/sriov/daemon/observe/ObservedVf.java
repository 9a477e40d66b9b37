package io.sriov.daemon.observe;

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
    PciNetDevice d =
        new PciNetDevice(
            device.pci().withDriver(Optional.of(DriverName.VFIO_PCI)),
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
    return new ObservedVf(
        index, device.withNetdev(device.netdev().map(n -> n.withMtu(mtu))), pfView);
  }

  /**
   * This VF with the admin MAC {@code mac} in its PF's view (the kernel acknowledged {@code ip link
   * set <pf> vf N mac M}); unchanged when the PF did not report the VF.
   */
  public ObservedVf withAdminMac(MacAddress mac) {
    return new ObservedVf(index, device, pfView.map(v -> v.withMac(mac)));
  }
}
