package io.sriov.core.port;

import java.util.List;
import java.util.function.Consumer;

/**
 * Watches the links of one network namespace. The real implementation (sriov-netlink) listens on an
 * rtnetlink socket bound to RTNLGRP_LINK (the shell equivalent is {@code ip monitor link}); the
 * simulated node provides one driven by its simulated kernel.
 */
public interface LinkMonitor extends AutoCloseable {

  /**
   * The current state of every link ({@code ip -d link show}), each as {@link
   * LinkEvent.Kind#PRESENT}.
   */
  List<LinkEvent> snapshot();

  /**
   * Calls {@code listener} for every later link change, on the monitor's own thread, in kernel
   * order. The listener must not block.
   */
  Subscription subscribe(Consumer<LinkEvent> listener);

  /** Stops the monitor and its thread. */
  @Override
  void close();

  /** Cancels one subscription. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
