package io.sriov.sysfs.sim;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED {@link DeviceEventMonitor}: delivers the {@link SimulatedKernel}'s PCI uevents (VF
 * add / remove, driver bind / unbind), in the order they happened, on the monitor's own thread. The
 * simulation never loses events, so {@code onLost} is never called.
 */
public final class SimulatedDeviceEventMonitor implements DeviceEventMonitor {
  private static final Logger log = LoggerFactory.getLogger(SimulatedDeviceEventMonitor.class);

  private final SimulatedKernel kernel;
  private final List<Consumer<DeviceEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread;
  private volatile boolean closed;

  SimulatedDeviceEventMonitor(SimulatedKernel kernel) {
    this.kernel = kernel;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "simulated-uevent-monitor");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Subscription subscribe(Consumer<DeviceEvent> listener, Runnable onLost) {
    if (closed) {
      throw new IllegalStateException("SIMULATION: device event monitor closed");
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Called by the kernel under its lock: queue in order, deliver on the monitor thread. */
  void publish(DeviceEvent event) {
    if (closed) {
      return;
    }
    thread.execute(
        () -> {
          for (Consumer<DeviceEvent> l : listeners) {
            try {
              l.accept(event);
            } catch (RuntimeException e) {
              log.warn(
                  "device event listener failed action={} devpath={}",
                  event.action(),
                  event.devpath(),
                  e);
            }
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    kernel.detach(this);
    thread.shutdownNow();
  }

  @Override
  public String toString() {
    return "SimulatedDeviceEventMonitor[SIMULATION listeners=" + listeners.size() + "]";
  }
}
