package io.sriov.simulator.kernel;

import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import java.util.List;

/**
 * A SIMULATED {@link LinkMonitor}: delivers the simulated node's netdev additions, removals and
 * carrier changes, in the order they happened, on the monitor's own thread.
 */
public final class SimulatedLinkMonitor extends SimulatedEventSource<LinkEvent>
    implements LinkMonitor {
  private final SimulatedKernel kernel;

  SimulatedLinkMonitor(SimulatedKernel kernel) {
    super("simulated-link-monitor");
    this.kernel = kernel;
  }

  @Override
  public List<LinkEvent> snapshot() {
    return kernel.links();
  }

  @Override
  void detach() {
    kernel.detach(this);
  }
}
