package io.sriov.cni.sriov;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A VF plumbed into a pod by {@link SriovVfEngine#attach}: what the CNI result reports.
 *
 * @param cache what was saved for DEL
 * @param vf the VF as found in sysfs
 * @param podIndex the VF's ifindex in the pod (kernel VF); empty for a DPDK VF
 * @param mac the MAC to report: requested, else the netdev's (kernel VF), else the admin MAC when
 *     not all zero (DPDK), as upstream
 * @param mtu the VF netdev's MTU, or the PF's for a DPDK VF
 */
public record Attachment(
    SriovCache cache, VfDevice vf, OptionalInt podIndex, Optional<MacAddress> mac, int mtu) {

  public InterfaceName ifName() {
    return cache.ifName();
  }

  public Optional<Path> netns() {
    return cache.netns();
  }

  public boolean dpdk() {
    return podIndex.isEmpty();
  }
}
