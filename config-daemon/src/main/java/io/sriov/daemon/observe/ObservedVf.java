package io.sriov.daemon.observe;

import io.sriov.core.device.PciNetDevice;
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
}
