package io.sriov.simulator.kernel;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;

/**
 * A SIMULATED {@link DeviceEventMonitor}: delivers the {@link SimulatedKernel}'s PCI uevents (VF
 * add / remove, driver bind / unbind), in the order they happened, on the monitor's own thread.
 */
public final class SimulatedDeviceEventMonitor extends SimulatedEventSource<DeviceEvent>
    implements DeviceEventMonitor {
  private final SimulatedKernel kernel;

  SimulatedDeviceEventMonitor(SimulatedKernel kernel) {
    super("simulated-uevent-monitor");
    this.kernel = kernel;
  }

  @Override
  void detach() {
    kernel.detach(this);
  }
}
