package io.sriov.deviceplugin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.port.DefaultRouteEvent;
import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.port.EventSource;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import io.sriov.core.retry.Backoff;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.config.PoolPlanner;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.os.watch.DirectoryWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the manager: plans the pools at start (a bad config there is fatal), then keeps them
 * current. It applies each new config it is handed, rescans the devices periodically, shortly after
 * a link appears or disappears (VFs created or removed) and shortly after a PCI device is added,
 * removed, bound or unbound (kernel uevents: this also covers VFs without a netdev, such as
 * vfio-pci ones, and driver changes that move a VF between pools) and shortly after an IPv4 default
 * route of the main table is added, replaced or deleted (a VF's netdev that becomes the uplink must
 * stop being offered), forwards link events for health, and runs the manager's supervision (on
 * every change in kubelet's directories, seen through inotify, and on a tick). A new config that
 * cannot be used is rejected with the precise error and the last good config keeps being served; a
 * config whose apply fails for another reason (the node, the filesystem) is retried with backoff.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /**
   * @param rescan how often devices are rediscovered without a trigger
   * @param debounce delay of a rescan triggered by link, device or default-route events
   * @param supervise how often sockets and registration are checked besides on every change in
   *     kubelet's directories (inotify): the tick for retries and for dropping gone devices
   * @param retry first delay before re-applying a config whose apply failed (doubling, at most 64
   *     times that)
   */
  public record Timing(Duration rescan, Duration debounce, Duration supervise, Duration retry) {
    public Timing {
      positive(rescan, "rescan");
      positive(debounce, "debounce");
      positive(supervise, "supervise");
      positive(retry, "retry");
    }

    /** With the default retry delay (1 s). */
    public Timing(Duration rescan, Duration debounce, Duration supervise) {
      this(rescan, debounce, supervise, Duration.ofSeconds(1));
    }

    static void positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
    }
  }

  private final PoolPlanner planner;
  private final DevicePluginManager manager;
  private final Optional<LinkMonitor> links;
  private final Optional<DeviceEventMonitor> devices;
  private final Optional<DefaultRouteMonitor> routes;
  private final ScheduledExecutorService scheduler;
  private final MeterRegistry meters;
  private final Timing timing;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

  /**
   * Link, device and route events are handed to this thread: the monitors' listeners must not
   * block, and the manager may be busy (a legacy Register call waits up to its deadline). One
   * thread keeps kernel order.
   */
  private final ExecutorService linkEvents =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sriov-dp-link-events");
            t.setDaemon(true);
            return t;
          });

  private final List<EventSource.Subscription> subscriptions = new ArrayList<>();
  private DevicePluginConfig lastGood;
  private ScheduledFuture<?> pendingRescan;

  /** A config whose apply failed and is being retried; rescans use it instead of lastGood. */
  private DevicePluginConfig pending;

  private ScheduledFuture<?> retry;
  private final Backoff applyBackoff;
  private final AtomicInteger failing = new AtomicInteger();
  private DirectoryWatch kubeletWatch;
  private final AtomicBoolean superviseQueued = new AtomicBoolean();

  /** System.nanoTime() of the last periodic supervision round: the event loop's heartbeat. */
  private volatile long lastSupervised = System.nanoTime();

  /**
   * The node's event sources; each is optional (without one, what it would have signalled is seen
   * at the periodic rescan).
   *
   * @param links link events: health, and a rescan when a netdev appears or disappears
   * @param devices PCI device events: a rescan when a function is added, removed, bound or unbound
   * @param routes IPv4 default-route events: a rescan when the uplink may have moved
   */
  public record Events(
      Optional<LinkMonitor> links,
      Optional<DeviceEventMonitor> devices,
      Optional<DefaultRouteMonitor> routes) {
    /** No event source: config polling and the periodic rescan only. */
    public static final Events NONE =
        new Events(Optional.empty(), Optional.empty(), Optional.empty());

    public Events {
      Objects.requireNonNull(links, "links");
      Objects.requireNonNull(devices, "devices");
      Objects.requireNonNull(routes, "routes");
    }
  }

  public Reconciler(
      PoolPlanner planner,
      DevicePluginManager manager,
      Events events,
      ScheduledExecutorService scheduler,
      MeterRegistry meters,
      Timing timing) {
    this.planner = Objects.requireNonNull(planner, "planner");
    this.manager = Objects.requireNonNull(manager, "manager");
    this.links = events.links();
    this.devices = events.devices();
    this.routes = events.routes();
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.applyBackoff = new Backoff(timing.retry(), timing.retry().multipliedBy(64));
    Gauge.builder("sriov.deviceplugin.reload.failing", failing, AtomicInteger::get)
        .description("1 while the last config apply failed and is being retried.")
        .register(meters);
  }

  /**
   * Plans and applies the first pools, then starts the background work.
   *
   * @throws PlanException when the config is unusable: nothing was applied
   */
  public synchronized void start(DevicePluginConfig config) {
    PoolPlanner.Plan plan = planner.plan(config);
    plan.warnings().forEach(w -> log.warn("config warning: {}", w));
    lastGood = config;
    links.ifPresent(m -> manager.loadLinks(m.snapshot()));
    manager.apply(plan.pools(), plan.discovered());
    links.ifPresent(m -> subscribe(m, this::onLinkEvent, () -> {}));
    devices.ifPresent(m -> subscribe(m, this::onDeviceEvent, this::onDeviceEventsLost));
    routes.ifPresent(m -> subscribe(m, this::onDefaultRouteEvent, this::onRouteEventsLost));
    every(timing.rescan(), this::rescan);
    KubeletPaths paths = manager.settings().paths();
    try {
      kubeletWatch =
          new DirectoryWatch(
              List.of(paths.devicePlugins(), paths.pluginsRegistry()),
              DirectoryWatch.CREATE_DELETE,
              // our own hidden temp sockets come and go at every start: not a change to act on
              name -> !name.toString().startsWith("."),
              this::superviseSoon,
              "sriov-dp-kubelet-watch");
    } catch (IOException e) {
      log.warn(
          "cannot watch kubelet's directories, checking them every {} ms error=\"{}\"",
          timing.supervise().toMillis(),
          e.toString());
    }
    every(
        timing.supervise(),
        () -> {
          lastSupervised = System.nanoTime();
          if (kubeletWatch != null) {
            kubeletWatch.watchExisting();
          }
          manager.superviseOnce();
        });
  }

  /** A change in kubelet's directories: supervise now (once for a burst of events). */
  private void superviseSoon() {
    if (superviseQueued.compareAndSet(false, true)) {
      scheduler.execute(
          () -> {
            superviseQueued.set(false);
            try {
              manager.superviseOnce();
            } catch (RuntimeException e) {
              log.error("supervision failed error=\"{}\"", e.toString(), e);
            }
          });
    }
  }

  /** Events and lost-event signals of every source are handled in order on one thread. */
  private <E> void subscribe(EventSource<E> source, Consumer<E> onEvent, Runnable onLost) {
    subscriptions.add(
        source.subscribe(
            e -> linkEvents.execute(() -> onEvent.accept(e)), () -> linkEvents.execute(onLost)));
  }

  private void every(Duration d, Runnable r) {
    tasks.add(
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                r.run();
              } catch (RuntimeException e) {
                log.error("background task failed error=\"{}\"", e.toString(), e);
              }
            },
            d.toMillis(),
            d.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  private void onLinkEvent(LinkEvent e) {
    try {
      manager.onLinkEvent(e);
      if (e.kind() != LinkEvent.Kind.CHANGED) {
        scheduleRescan();
      }
    } catch (RuntimeException ex) {
      log.error("link event failed link={} error=\"{}\"", e.name(), ex.toString(), ex);
    }
  }

  /** On the event thread, like link events (scheduling may wait for a running rescan). */
  private void onDeviceEvent(DeviceEvent e) {
    if (e.isPciMembershipChange()) {
      log.debug(
          "device event, rescan scheduled action={} pci={} driver={}",
          e.action().kernelName(),
          e.pciAddress().map(Object::toString).orElse(e.devpath()),
          e.driver().map(Object::toString).orElse(""));
      meters
          .counter("sriov.deviceplugin.device.events", "action", e.action().kernelName())
          .increment();
      scheduleRescan();
    }
  }

  private void onDeviceEventsLost() {
    log.warn("device events were lost, rescan scheduled");
    scheduleRescan();
  }

  /** On the event thread, like link events: any default-route change may move the uplink. */
  private void onDefaultRouteEvent(DefaultRouteEvent e) {
    String kind = e.kind().name().toLowerCase(java.util.Locale.ROOT);
    log.info("default route {}, rescan scheduled oif={}", kind, e.outputIndexes());
    routeEvent(kind);
    scheduleRescan();
  }

  private void onRouteEventsLost() {
    log.warn("route events were lost, rescan scheduled");
    routeEvent("lost");
    scheduleRescan();
  }

  private synchronized void scheduleRescan() {
    // A rescan that has not started yet will see this change; one that is running (or has just
    // returned but is not yet marked done) may have read the devices before it, so schedule
    // another.
    if (pendingRescan == null || pendingRescan.getDelay(TimeUnit.NANOSECONDS) <= 0) {
      pendingRescan =
          scheduler.schedule(this::rescan, timing.debounce().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Rediscovers the devices with the last good config (or the one whose apply is retried); a plan
   * that fails (the default routes cannot be read) is logged and the current pools are kept.
   */
  public synchronized void rescan() {
    DevicePluginConfig config = pending != null ? pending : lastGood;
    if (config == null) {
      return; // not started
    }
    try {
      plan(config);
    } catch (PlanException e) {
      log.error("rescan failed error=\"{}\"; keeping the current pools", e.getMessage());
    }
  }

  /**
   * Plans with {@code config} and applies it; from now on rescans use it. An apply that fails for
   * another reason than the config (the node or the filesystem: a CDI directory replaced by a file)
   * is retried with backoff until it succeeds, visible meanwhile ({@code
   * sriov.deviceplugin.reloads{result=error}}, the gauge {@code sriov.deviceplugin.reload.failing},
   * an ERROR when the failure starts or changes).
   *
   * @return true when applied; false when the apply failed and is being retried
   * @throws PlanException when the config cannot be used: the last good one stays (counted in
   *     {@code sriov.deviceplugin.reloads{result=invalid}})
   */
  public synchronized boolean apply(DevicePluginConfig config) {
    return plan(config);
  }

  private boolean plan(DevicePluginConfig config) {
    PoolPlanner.Plan plan;
    try {
      plan = planner.plan(config);
    } catch (PlanException e) {
      reloaded("invalid");
      throw e;
    } catch (RuntimeException e) {
      applyFailed(config, e);
      return false;
    }
    plan.warnings().forEach(w -> log.warn("config warning: {}", w));
    try {
      manager.apply(plan.pools(), plan.discovered());
    } catch (RuntimeException e) {
      applyFailed(config, e);
      return false;
    }
    lastGood = config;
    pending = null;
    int failures = applyBackoff.succeeded();
    failing.set(0);
    if (failures > 0) {
      log.info(
          "config applied after failures source={} attempts={}", config.source(), failures + 1);
    }
    reloaded("ok");
    return true;
  }

  private void applyFailed(DevicePluginConfig config, RuntimeException e) {
    pending = config;
    failing.set(1);
    reloaded("error");
    String error = String.valueOf(e.getMessage());
    if (applyBackoff.failed(error, System.nanoTime())) {
      log.error(
          "cannot apply config source={} error=\"{}\"; serving what was applied before, retrying"
              + " with backoff (next in {} ms)",
          config.source(),
          error,
          applyBackoff.delay().toMillis());
    } else {
      log.debug(
          "still cannot apply config attempts={} error=\"{}\"", applyBackoff.failures(), error);
    }
    if (retry == null || retry.isDone()) {
      retry =
          scheduler.schedule(
              this::retryApply, applyBackoff.delay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void retryApply() {
    retry = null;
    if (pending != null) {
      try {
        plan(pending);
      } catch (PlanException e) {
        log.error("retried apply failed error=\"{}\"; keeping the current pools", e.getMessage());
      }
    }
  }

  /**
   * How long ago the periodic supervision last ran (or the reconciler was made): the liveness of
   * its thread, which a round stuck on a lock or a dead scheduler lets grow past the tick.
   */
  public Duration sinceSupervised() {
    return Duration.ofNanos(System.nanoTime() - lastSupervised);
  }

  private void routeEvent(String kind) {
    Counter.builder("sriov.deviceplugin.route.events")
        .description("Default-route events that triggered a rescan, by kind.")
        .tag("kind", kind)
        .register(meters)
        .increment();
  }

  private void reloaded(String result) {
    Counter.builder("sriov.deviceplugin.reloads")
        .description("Config applies, by result (ok, invalid, error).")
        .tag("result", result)
        .register(meters)
        .increment();
  }

  @Override
  public synchronized void close() {
    tasks.forEach(t -> t.cancel(false));
    if (retry != null) {
      retry.cancel(false);
    }
    if (kubeletWatch != null) {
      kubeletWatch.close();
    }
    if (pendingRescan != null) {
      pendingRescan.cancel(false);
    }
    subscriptions.forEach(EventSource.Subscription::close);
    subscriptions.clear();
    linkEvents.shutdownNow();
  }
}
