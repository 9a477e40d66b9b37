package io.sriov.cni.sriov;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.route.RtnlOperations;
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
 * @param pod the rtnetlink socket in the pod the ADD opened (kernel VF), kept open for {@link
 *     SriovVfEngine#configureIp} so the ADD enters the pod's namespace once for it; {@link #close}
 *     closes it
 */
public record Attachment(
    SriovCache cache,
    VfDevice vf,
    OptionalInt podIndex,
    Optional<MacAddress> mac,
    int mtu,
    Optional<RtnlOperations> pod)
    implements AutoCloseable {

  public InterfaceName ifName() {
    return cache.ifName();
  }

  public Optional<Path> netns() {
    return cache.netns();
  }

  public boolean dpdk() {
    return podIndex.isEmpty();
  }

  /** Closes the pod socket; idempotent. */
  @Override
  public void close() {
    pod.ifPresent(RtnlOperations::close);
  }
}
