package io.sriov.simulator.kernel;

import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import java.util.List;
import java.util.function.Consumer;

/**
 * A SIMULATED {@link LinkMonitor}: delivers the {@link SimulatedKernel}'s netdev additions,
 * removals and carrier changes, in the order they happened, on the monitor's own thread.
 */
public final class SimulatedLinkMonitor implements LinkMonitor {
  private final SimulatedKernel kernel;
  private final SimulatedEventQueue<LinkEvent> queue =
      new SimulatedEventQueue<>("simulated-link-monitor");

  SimulatedLinkMonitor(SimulatedKernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public List<LinkEvent> snapshot() {
    return kernel.links();
  }

  @Override
  public Subscription subscribe(Consumer<LinkEvent> listener, Runnable onLost) {
    return queue.subscribe(listener, onLost);
  }

  /** Called by the kernel under its lock: queue in order, deliver on the monitor thread. */
  void publish(LinkEvent event) {
    queue.publish(event);
  }

  @Override
  public void close() {
    queue.close();
    kernel.detach(this);
  }

  @Override
  public String toString() {
    return "SimulatedLinkMonitor[SIMULATION listeners=" + queue.listenerCount() + "]";
  }
}
