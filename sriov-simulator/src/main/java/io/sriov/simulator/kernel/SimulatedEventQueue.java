package io.sriov.simulator.kernel;

import io.sriov.core.port.EventSource;
import io.sriov.core.port.Subscribers;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * How the SIMULATED monitors deliver: the {@link SimulatedKernel} publishes under its lock, events
 * queue in that order and reach the listeners on the monitor's own thread (as a kernel socket's
 * reader thread would). Delivery to the subscribers is {@link Subscribers}'s.
 */
final class SimulatedEventQueue<E> {

  private final String name;
  private final Subscribers<E> subscribers;
  private final ExecutorService thread;
  private volatile boolean closed;

  SimulatedEventQueue(String name) {
    this.name = name;
    this.subscribers = new Subscribers<>("SIMULATION " + name);
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds a subscriber (the simulation loses no events: {@code onLost} is never called). */
  EventSource.Subscription subscribe(Consumer<E> listener, Runnable onLost) {
    if (closed) {
      throw new IllegalStateException("SIMULATION: " + name + " closed");
    }
    return subscribers.add(listener, onLost);
  }

  void publish(E event) {
    if (closed) {
      return;
    }
    thread.execute(() -> subscribers.deliver(event));
  }

  int listenerCount() {
    return subscribers.size();
  }

  void close() {
    closed = true;
    thread.shutdownNow();
  }
}
