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

  /**
   * {@code devlink dev param show HANDLE name NAME} of a bool param (e.g. {@code enable_rdma}): its
   * first value (the kernel lists one per configuration mode it supports); empty when the device
   * has no such param.
   */
  Optional<Boolean> boolParam(DevlinkHandle handle, String name) throws NetlinkException;

  /** {@code devlink dev eswitch show HANDLE}. */
  EswitchMode eswitchMode(DevlinkHandle handle) throws NetlinkException;

  /** {@code devlink dev eswitch set HANDLE mode MODE}. */
  void setEswitchMode(DevlinkHandle handle, EswitchMode mode) throws NetlinkException;
}
