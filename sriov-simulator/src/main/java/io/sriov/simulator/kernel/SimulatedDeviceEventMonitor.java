package io.sriov.simulator.kernel;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;
import java.util.function.Consumer;

/**
 * A SIMULATED {@link DeviceEventMonitor}: delivers the {@link SimulatedKernel}'s PCI uevents (VF
 * add / remove, driver bind / unbind), in the order they happened, on the monitor's own thread. The
 * simulation never loses events, so {@code onLost} is never called.
 */
public final class SimulatedDeviceEventMonitor implements DeviceEventMonitor {
  private final SimulatedKernel kernel;
  private final SimulatedEventQueue<DeviceEvent> queue =
      new SimulatedEventQueue<>("simulated-uevent-monitor");

  SimulatedDeviceEventMonitor(SimulatedKernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public Subscription subscribe(Consumer<DeviceEvent> listener, Runnable onLost) {
    return queue.subscribe(listener, onLost);
  }

  /** Called by the kernel under its lock: queue in order, deliver on the monitor thread. */
  void publish(DeviceEvent event) {
    queue.publish(event);
  }

  @Override
  public void close() {
    queue.close();
    kernel.detach(this);
  }

  @Override
  public String toString() {
    return "SimulatedDeviceEventMonitor[SIMULATION listeners=" + queue.listenerCount() + "]";
  }
}
