package io.sriov.simulator.kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the SIMULATED monitors deliver: the {@link SimulatedKernel} publishes under its lock, events
 * queue in that order and reach the listeners on the monitor's own thread (as a kernel socket's
 * reader thread would). A listener that throws is logged; the others still get the event.
 */
final class SimulatedEventQueue<E> {
  private static final Logger log = LoggerFactory.getLogger(SimulatedEventQueue.class);

  private final String name;
  private final List<Consumer<E>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread;
  private volatile boolean closed;

  SimulatedEventQueue(String name) {
    this.name = name;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds a listener; the returned action removes it. */
  Runnable subscribe(Consumer<E> listener) {
    if (closed) {
      throw new IllegalStateException("SIMULATION: " + name + " closed");
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void publish(E event) {
    if (closed) {
      return;
    }
    thread.execute(
        () -> {
          for (Consumer<E> l : listeners) {
            try {
              l.accept(event);
            } catch (RuntimeException e) {
              log.warn("listener failed monitor={} event={}", name, event, e);
            }
          }
        });
  }

  int listenerCount() {
    return listeners.size();
  }

  void close() {
    closed = true;
    thread.shutdownNow();
  }
}
