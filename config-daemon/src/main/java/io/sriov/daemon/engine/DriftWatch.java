package io.sriov.daemon.engine;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.EventSource;
import io.sriov.core.port.LinkEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Turns the node's events into debounced re-checks: any link change ({@code ip monitor link}) and
 * any PCI device added, removed, bound or unbound (the kernel's uevents) may be drift (someone
 * wrote {@code sriov_numvfs}, unbound a VF driver, changed an MTU), so {@code onDrift} runs once
 * the events have been quiet for {@code quiet}, and at the latest {@code maxDelay} after the first
 * event of a burst (a flapping link cannot postpone it for ever). Lost events count as a change. No
 * events, no work: nothing polls. The daemon's own applies cause events too; the re-check they lead
 * to plans nothing and changes nothing.
 */
public final class DriftWatch implements AutoCloseable {
  /** The quiet period and the bound: a burst of VF creation is a few hundred ms. */
  public static final Duration QUIET = Duration.ofMillis(500);

  public static final Duration MAX_DELAY = Duration.ofSeconds(5);

  private final Duration quiet;
  private final Duration maxDelay;
  private final Runnable onDrift;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService timer;
  private final List<EventSource.Subscription> subscriptions = new ArrayList<>();
  private ScheduledFuture<?> pending;
  private long generation;
  private long burstStart;

  /**
   * Subscribes to the sources the node has.
   *
   * @param onDrift runs on the watch's timer thread; it should hand the re-check to the reconcile
   *     loop and return
   */
  public DriftWatch(
      Optional<? extends EventSource<LinkEvent>> links,
      Optional<? extends EventSource<DeviceEvent>> devices,
      Duration quiet,
      Duration maxDelay,
      Runnable onDrift) {
    this(links, devices, quiet, maxDelay, onDrift, System::nanoTime);
  }

  DriftWatch(
      Optional<? extends EventSource<LinkEvent>> links,
      Optional<? extends EventSource<DeviceEvent>> devices,
      Duration quiet,
      Duration maxDelay,
      Runnable onDrift,
      LongSupplier nanoTime) {
    if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
      throw new IllegalArgumentException(
          "drift debounce: quiet " + quiet + " must be >= 0 and <= maxDelay " + maxDelay);
    }
    this.quiet = quiet;
    this.maxDelay = maxDelay;
    this.onDrift = Objects.requireNonNull(onDrift, "onDrift");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sriov-node-drift");
              t.setDaemon(true);
              return t;
            });
    links.ifPresent(m -> subscriptions.add(m.subscribe(e -> changed(), this::changed)));
    devices.ifPresent(
        m ->
            subscriptions.add(
                m.subscribe(
                    e -> {
                      if (e.isPciMembershipChange()) {
                        changed();
                      }
                    },
                    this::changed)));
  }

  /** Whether the node gives any events to watch; without them drift is seen at the next pass. */
  public boolean watching() {
    return !subscriptions.isEmpty();
  }

  /** Something on the node changed: (re)starts the quiet period of the current burst. */
  synchronized void changed() {
    long now = nanoTime.getAsLong();
    if (pending == null) {
      burstStart = now;
    } else {
      pending.cancel(false);
    }
    long left = maxDelay.toNanos() - (now - burstStart);
    long delay = Math.max(0, Math.min(quiet.toNanos(), left));
    long g = ++generation;
    pending = timer.schedule(() -> fire(g), delay, TimeUnit.NANOSECONDS);
  }

  private void fire(long g) {
    synchronized (this) {
      if (g != generation) {
        return; // superseded by a later event's schedule
      }
      pending = null;
    }
    onDrift.run();
  }

  @Override
  public void close() {
    subscriptions.forEach(EventSource.Subscription::close);
    timer.shutdownNow();
  }
}
