package io.sriov.core.port;

import java.util.function.Consumer;

/**
 * Watches the IPv4 default routes of the main table in one network namespace. The real
 * implementation (sriov-netlink) listens on an rtnetlink socket bound to RTNLGRP_IPV4_ROUTE (the
 * shell equivalent is {@code ip -4 monitor route}, keeping the {@code default} lines of table
 * main); other routes, other tables and IPv6 are not delivered.
 *
 * <p>Events say that something changed, not the whole state. When the kernel dropped events (the
 * reader fell behind, ENOBUFS) or a notification could not be decoded, the monitor calls the
 * subscriber's {@code onLost} instead: it recovers by re-reading the routes.
 */
public interface DefaultRouteMonitor extends AutoCloseable {

  /**
   * Calls {@code listener} for every later default-route change, on the monitor's own thread, in
   * kernel order. The listener must not block.
   */
  default Subscription subscribe(Consumer<DefaultRouteEvent> listener) {
    return subscribe(listener, () -> {});
  }

  /**
   * As {@link #subscribe(Consumer)}; {@code onLost} runs (on the monitor's thread, must not block)
   * when events were lost and the listener should re-read the routes.
   */
  Subscription subscribe(Consumer<DefaultRouteEvent> listener, Runnable onLost);

  /** Stops the monitor and its thread. Idempotent. */
  @Override
  void close();

  /** Cancels one subscription. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
