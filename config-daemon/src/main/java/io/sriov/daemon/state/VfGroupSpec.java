package io.sriov.daemon.state;

import java.util.Objects;

/**
 * One {@code vfGroups[]} entry of a PF: a range of its VFs that form (part of) a device-plugin
 * pool.
 *
 * @param resourceName {@code resourceName}: the pool
 * @param deviceType {@code deviceType}: {@code netdevice} (default, kernel VF driver) or {@code
 *     vfio-pci}
 * @param vfRange {@code vfRange}: {@code first-last} VF indexes
 * @param policyName {@code policyName}: the SriovNetworkNodePolicy that produced the group
 * @param mtu {@code mtu}: VF MTU for netdevice VFs; 0 = leave as is
 * @param isRdma {@code isRdma}
 * @param vdpaType {@code vdpaType}: {@code virtio}/{@code vhost}, empty = none
 */
public record VfGroupSpec(
    String resourceName,
    String deviceType,
    String vfRange,
    String policyName,
    int mtu,
    boolean isRdma,
    String vdpaType) {

  public VfGroupSpec {
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(deviceType, "deviceType");
    Objects.requireNonNull(vfRange, "vfRange");
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(vdpaType, "vdpaType");
  }
}
