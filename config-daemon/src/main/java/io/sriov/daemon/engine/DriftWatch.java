package io.sriov.daemon.engine;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.EventSource;
import io.sriov.core.port.LinkEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Link events that cannot be drift start no re-check: a link moved to or from another network
 * namespace ({@link LinkEvent#netnsMove()}: a CNI attaching a VF to a pod and giving it back; where
 * a VF's netdev lives is no part of the desired state, while the VF count and drivers are watched
 * through the PCI events), and a rename that leaves the oper state and carrier as they were (the
 * CNI's names). A PF taken down, a carrier lost, a device reset by an MTU change, a link created or
 * deleted still are.
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
  private final Map<Integer, LinkEvent> lastLinkState = new HashMap<>(); // by ifindex, under this
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
    links.ifPresent(
        m ->
            subscriptions.add(
                m.subscribe(
                    e -> {
                      if (mayBeDrift(e)) {
                        changed();
                      }
                    },
                    this::changed)));
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

  /**
   * Whether a link event may be drift (see the class comment); remembers each link's last state to
   * tell a rename from a change of state. A link first heard of in a CHANGED event may be drift.
   */
  synchronized boolean mayBeDrift(LinkEvent e) {
    LinkEvent before =
        e.kind() == LinkEvent.Kind.REMOVED
            ? lastLinkState.remove(e.ifIndex())
            : lastLinkState.put(e.ifIndex(), e);
    if (e.netnsMove()) {
      return false;
    }
    boolean renamedOnly =
        e.kind() == LinkEvent.Kind.CHANGED
            && before != null
            && before.operState() == e.operState()
            && before.carrier() == e.carrier();
    return !renamedOnly;
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
