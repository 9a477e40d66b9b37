package io.sriov.sysfs.sim;

import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED {@link LinkMonitor}: delivers the {@link SimulatedKernel}'s netdev additions,
 * removals and carrier changes, in the order they happened, on the monitor's own thread.
 */
public final class SimulatedLinkMonitor implements LinkMonitor {
  private static final Logger log = LoggerFactory.getLogger(SimulatedLinkMonitor.class);

  private final SimulatedKernel kernel;
  private final List<Consumer<LinkEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread;
  private volatile boolean closed;

  SimulatedLinkMonitor(SimulatedKernel kernel) {
    this.kernel = kernel;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "simulated-link-monitor");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public List<LinkEvent> snapshot() {
    return kernel.links();
  }

  @Override
  public Subscription subscribe(Consumer<LinkEvent> listener) {
    if (closed) {
      throw new IllegalStateException("SIMULATION: link monitor closed");
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Called by the kernel under its lock: queue in order, deliver on the monitor thread. */
  void publish(LinkEvent event) {
    if (closed) {
      return;
    }
    thread.execute(
        () -> {
          for (Consumer<LinkEvent> l : listeners) {
            try {
              l.accept(event);
            } catch (RuntimeException e) {
              log.warn("link listener failed link={} kind={}", event.name(), event.kind(), e);
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
    return "SimulatedLinkMonitor[SIMULATION listeners=" + listeners.size() + "]";
  }
}
