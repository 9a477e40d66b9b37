package io.sriov.netlink.devlink;

import io.sriov.netlink.NetlinkException;
import java.util.List;
import java.util.Optional;

/** devlink over generic netlink ({@code devlink dev ...}). */
public interface DevlinkOperations {

  /** {@code devlink dev show}. */
  List<DevlinkHandle> devices() throws NetlinkException;

  /** {@code devlink dev info HANDLE}; empty when there is no such device. */
  Optional<DevlinkInfo> info(DevlinkHandle handle) throws NetlinkException;

  /** {@code devlink dev eswitch show HANDLE}. */
  EswitchMode eswitchMode(DevlinkHandle handle) throws NetlinkException;

  /** {@code devlink dev eswitch set HANDLE mode MODE}. */
  void setEswitchMode(DevlinkHandle handle, EswitchMode mode) throws NetlinkException;
}
