package io.sriov.core.port;

import java.util.List;

/**
 * Watches the links of one network namespace. The real implementation (sriov-netlink) listens on an
 * rtnetlink socket bound to RTNLGRP_LINK (the shell equivalent is {@code ip monitor link}); the
 * simulated node provides one driven by its simulated kernel. After lost events the monitor
 * re-reads the links and delivers the differences itself, so {@code onLost} is not called.
 */
public interface LinkMonitor extends EventSource<LinkEvent> {

  /**
   * The current state of every link ({@code ip -d link show}), each as {@link
   * LinkEvent.Kind#PRESENT}.
   */
  List<LinkEvent> snapshot();
}
