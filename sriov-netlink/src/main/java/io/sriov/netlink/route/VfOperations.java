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

  /** Applies {@code config} in one RTM_SETLINK. */
  void setVf(int pfIndex, VfConfig config) throws NetlinkException;
}
