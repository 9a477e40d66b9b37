package io.sriov.simulator.kernel;

import io.sriov.core.port.EventSource;
import java.util.function.Consumer;

/**
 * What the SIMULATED monitors share: the {@link SimulatedKernel} publishes under its lock, events
 * queue in that order and reach the subscribers on the monitor's own thread; closing detaches the
 * monitor from the kernel. The simulation never loses events, so {@code onLost} is never called.
 */
abstract class SimulatedEventSource<E> implements EventSource<E> {
  private final SimulatedEventQueue<E> queue;

  SimulatedEventSource(String threadName) {
    this.queue = new SimulatedEventQueue<>(threadName);
  }

  @Override
  public final Subscription subscribe(Consumer<E> listener, Runnable onLost) {
    return queue.subscribe(listener, onLost);
  }

  /** Called by the kernel under its lock: queue in order, deliver on the monitor thread. */
  final void publish(E event) {
    queue.publish(event);
  }

  /** Removes this monitor from the kernel's list. */
  abstract void detach();

  @Override
  public final void close() {
    queue.close();
    detach();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[SIMULATION listeners=" + queue.listenerCount() + "]";
  }
}
