package io.sriov.core.port;

import java.util.function.Consumer;

/**
 * Watches the kernel's PCI device events. The real implementation (sriov-netlink) listens on a
 * NETLINK_KOBJECT_UEVENT socket bound to the kernel's multicast group (the shell equivalent is
 * {@code udevadm monitor --kernel --subsystem-match=pci}); the simulated node provides one driven
 * by its simulated kernel. Only {@code SUBSYSTEM=pci} events are delivered.
 *
 * <p>Events say that something changed, not the whole state. When the kernel dropped events (the
 * reader fell behind, ENOBUFS) the monitor calls the subscriber's {@code onLost} instead: it
 * recovers by rediscovering the devices.
 */
public interface DeviceEventMonitor extends AutoCloseable {

  /**
   * Calls {@code listener} for every later PCI device event, on the monitor's own thread, in kernel
   * order. The listener must not block.
   */
  default Subscription subscribe(Consumer<DeviceEvent> listener) {
    return subscribe(listener, () -> {});
  }

  /**
   * As {@link #subscribe(Consumer)}; {@code onLost} runs (on the monitor's thread, must not block)
   * when events were lost and the listener should re-read the devices.
   */
  Subscription subscribe(Consumer<DeviceEvent> listener, Runnable onLost);

  /** Stops the monitor and its thread. Idempotent. */
  @Override
  void close();

  /** Cancels one subscription. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
