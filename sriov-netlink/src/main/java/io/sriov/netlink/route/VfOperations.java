package io.sriov.netlink.route;

import io.sriov.netlink.NetlinkException;
import java.util.List;

/** VF attributes on a PF ({@code ip link set <pf> vf N ...}, {@code ip link show <pf>}). */
public interface VfOperations {

  /**
   * The PF's VFs (RTM_GETLINK with RTEXT_FILTER_VF, plus statistics only when {@code withStats}).
   * Empty for a link without VFs.
   */
  List<VfInfo> vfs(int pfIndex, boolean withStats) throws NetlinkException;

  /** Applies {@code config} in one RTM_SETLINK ({@code ip link set <pf> vf N ...}). */
  void setVf(int pfIndex, VfConfig config) throws NetlinkException;

  /**
   * Applies several VFs' settings, up to {@link RtnlRequests#MAX_VFS_PER_REQUEST} VFs per
   * RTM_SETLINK: one IFLA_VF_INFO per VF in one IFLA_VFINFO_LIST, what {@code ip link set <pf> vf N
   * ...} sends for each VF, in one message (iproute2 has no command for several VFs at once). As
   * the kernel's do_setlink does, stops at the first VF the driver refuses: the VFs before it stay
   * set; the exception names the message's VFs ({@code vfs 0-31}) and the errno.
   *
   * @throws IllegalArgumentException for an empty list, a VF named twice or a VF with nothing to
   *     set
   */
  void setVfs(int pfIndex, List<VfConfig> configs) throws NetlinkException;
}
