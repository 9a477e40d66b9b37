package io.sriov.netlink.event;

import io.sriov.netlink.NetlinkException;

/** The link monitor could not read the kernel's link state (wraps the netlink failure). */
public final class LinkMonitorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LinkMonitorException(NetlinkException cause) {
    super(cause.getMessage(), cause);
  }
}
