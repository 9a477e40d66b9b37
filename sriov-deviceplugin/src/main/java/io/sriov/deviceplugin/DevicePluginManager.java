package io.sriov.deviceplugin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.device.Device;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.retry.Backoff;
import io.sriov.deviceplugin.allocate.Allocator;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.allocate.PreparedDevice;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.cdi.CdiSpecs;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.health.LinkHealth;
import io.sriov.deviceplugin.kubelet.AdvertisedPool;
import io.sriov.deviceplugin.kubelet.DevicePluginService;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.PluginEndpoint;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.deviceplugin.pool.ResourcePool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one kubelet endpoint per pool in line with the current pools: starts endpoints for new
 * pools, retires removed ones, swaps device lists (pushed through ListAndWatch), tracks health, and
 * supervises registration (socket removed or kubelet restarted: serve again and re-register).
 *
 * <p>A device that vanishes from discovery stays advertised as Unhealthy for {@code goneRetention}
 * (5 minutes in production) with the same ID, so a VF that comes back turns Healthy again instead
 * of changing capacity twice: a PF driver reload or firmware reset re-creates its VFs within
 * seconds to a few minutes (an mlx5 firmware reset takes 1-3), and kubelet, which keeps a device it
 * was told is Unhealthy in capacity but not in allocatable, schedules nothing onto it meanwhile.
 * After that it is dropped.
 *
 * <p>A device its host removed on purpose ({@link #removedOnPurpose}: the node daemon lowered the
 * PF's VF count) is not coming back: it leaves its pool at once, with no retention.
 */
public final class DevicePluginManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevicePluginManager.class);

  /**
   * @param registerTimeout deadline of a legacy {@code Register} call
   * @param goneRetention how long a vanished device stays advertised as Unhealthy
   */
  public record Settings(
      KubeletPaths paths,
      RegistrationMode mode,
      boolean useCdi,
      Duration registerTimeout,
      Duration goneRetention) {
    public Settings {
      Objects.requireNonNull(paths, "paths");
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(registerTimeout, "registerTimeout");
      Objects.requireNonNull(goneRetention, "goneRetention");
    }
  }

  private record Gone(PreparedDevice device, Instant since) {}

  private static final class Entry {
    final PluginEndpoint endpoint;
    PreparedPool pool;
    final Map<String, Gone> gone = new LinkedHashMap<>();
    final AtomicInteger total = new AtomicInteger();
    final AtomicInteger unhealthy = new AtomicInteger();
    final List<io.micrometer.core.instrument.Meter> gauges = new ArrayList<>();
    final Backoff startBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    Entry(PluginEndpoint endpoint, PreparedPool pool) {
      this.endpoint = endpoint;
      this.pool = pool;
    }
  }

  private final Settings settings;
  private final UnixTransport transport;
  private final InfoProviders providers;
  private final DeviceInfoFiles deviceInfo;
  private final CdiSpecs cdi;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Executor background;
  private final Allocator allocator;
  private final LinkHealth health = new LinkHealth();
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /**
   * Devices the host said it removed on purpose, with when: not held as gone when a rescan misses
   * them; forgotten once discovered again or after the retention (so the set stays bounded).
   */
  private final Map<String, Instant> removedOnPurpose = new LinkedHashMap<>();

  private boolean closed;

  public DevicePluginManager(
      Settings settings,
      UnixTransport transport,
      InfoProviders providers,
      DeviceInfoFiles deviceInfo,
      CdiSpecs cdi,
      MeterRegistry meters,
      Clock clock,
      Executor background) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.providers = Objects.requireNonNull(providers, "providers");
    this.deviceInfo = Objects.requireNonNull(deviceInfo, "deviceInfo");
    this.cdi = Objects.requireNonNull(cdi, "cdi");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.background = Objects.requireNonNull(background, "background");
    this.allocator = new Allocator(settings.useCdi());
    int removed = cdi.removeStale();
    if (removed > 0) {
      log.info("removed stale CDI specs count={}", removed);
    }
    for (RegistrationMode mode : RegistrationMode.values()) {
      for (Path t :
          PluginEndpoint.removeStaleTempSockets(
              settings.paths().socketDir(mode), clock.instant())) {
        log.info("removed stale temp socket={}", t);
      }
    }
    int leftovers = deviceInfo.removeLeftovers();
    if (leftovers > 0) {
      log.info("removed leftover device-info files count={}", leftovers);
    }
  }

  public Settings settings() {
    return settings;
  }

  /** Loads the link monitor's snapshot (call before the first {@link #apply}). */
  public synchronized void loadLinks(List<LinkEvent> snapshot) {
    health.reset(snapshot);
    entries.values().forEach(this::refresh);
  }

  /**
   * Brings the endpoints in line with {@code pools}.
   *
   * @param discovered IDs of every device discovery saw (in a pool or not): a device missing from
   *     its pool but still discovered was moved or deselected and is dropped at once; one not
   *     discovered at all is kept as gone
   */
  public synchronized void apply(List<ResourcePool> pools, Set<String> discovered) {
    if (closed) {
      return;
    }
    Map<String, ResourcePool> next = new LinkedHashMap<>();
    for (ResourcePool p : pools) {
      next.put(p.spec().fullName(), p);
    }
    for (String name : new ArrayList<>(entries.keySet())) {
      if (!next.containsKey(name)) {
        retire(entries.remove(name));
      }
    }
    Instant now = clock.instant();
    removedOnPurpose.keySet().removeAll(discovered);
    for (ResourcePool p : next.values()) {
      Entry e = entries.get(p.spec().fullName());
      PreparedPool prepared = PreparedPool.prepare(p, providers, e == null ? null : e.pool);
      if (e == null) {
        e = create(prepared);
      } else {
        trackGone(e, prepared, discovered, now);
        e.pool = prepared;
      }
      refresh(e);
      if (e.endpoint.state() == PluginEndpoint.State.STOPPED) {
        startQuietly(e);
      }
    }
    deviceInfo.served(entries.values().stream().map(x -> x.endpoint.spec()).toList());
  }

  /**
   * One endpoint that cannot listen must not stop the others; the supervisor retries it with
   * backoff. A failure is logged at ERROR when it starts or its error changes, then at debug.
   */
  private static void startQuietly(Entry e) {
    PluginEndpoint ep = e.endpoint;
    try {
      ep.start();
      int failures = e.startBackoff.succeeded();
      if (failures > 0) {
        log.info("serving after failures resource={} attempts={}", ep.spec().fullName(), failures);
      }
    } catch (RuntimeException ex) {
      startFailed(e, ex);
    }
  }

  private static void startFailed(Entry e, RuntimeException ex) {
    PluginEndpoint ep = e.endpoint;
    {
      String error = String.valueOf(ex.getMessage());
      if (e.startBackoff.failed(error, System.nanoTime())) {
        log.error(
            "cannot serve resource={} socket={} error=\"{}\"; retrying with backoff",
            ep.spec().fullName(),
            ep.socket(),
            error);
      } else {
        log.debug(
            "still cannot serve resource={} attempts={} error=\"{}\"",
            ep.spec().fullName(),
            e.startBackoff.failures(),
            error);
      }
    }
  }

  private static void restartQuietly(Entry e, String reason) {
    try {
      e.endpoint.restart(reason);
      e.startBackoff.succeeded();
    } catch (RuntimeException ex) {
      startFailed(e, ex);
    }
  }

  private void trackGone(Entry e, PreparedPool next, Set<String> discovered, Instant now) {
    for (PreparedDevice d : e.pool.devices().values()) {
      if (!next.devices().containsKey(d.id()) && !discovered.contains(d.id())) {
        if (removedOnPurpose.containsKey(d.id())) {
          log.info(
              "device removed by the host resource={} device={}", next.spec().fullName(), d.id());
          continue;
        }
        e.gone.putIfAbsent(d.id(), new Gone(d, now));
        log.warn("device gone resource={} device={}", next.spec().fullName(), d.id());
      }
    }
    for (Gone g : new ArrayList<>(e.gone.values())) {
      if (next.devices().containsKey(g.device().id())) {
        e.gone.remove(g.device().id());
        log.info("device back resource={} device={}", next.spec().fullName(), g.device().id());
      } else if (discovered.contains(g.device().id())) {
        e.gone.remove(g.device().id());
      }
    }
  }

  private Entry create(PreparedPool prepared) {
    deviceInfo.removePool(prepared.spec());
    DevicePluginService service =
        new DevicePluginService(
            new AdvertisedPool(prepared, Set.of()), allocator, deviceInfo, meters);
    PluginEndpoint endpoint =
        new PluginEndpoint(
            prepared.spec(),
            settings.mode(),
            settings.paths(),
            transport,
            service,
            background,
            meters,
            settings.registerTimeout());
    Entry e = new Entry(endpoint, prepared);
    String resource = prepared.spec().fullName();
    e.gauges.add(
        Gauge.builder("sriov.deviceplugin.devices", e.total, AtomicInteger::get)
            .description("Devices advertised to kubelet, healthy or not.")
            .tag("resource", resource)
            .register(meters));
    e.gauges.add(
        Gauge.builder("sriov.deviceplugin.devices.unhealthy", e.unhealthy, AtomicInteger::get)
            .description("Devices advertised Unhealthy (carrier down, or gone from the node).")
            .tag("resource", resource)
            .register(meters));
    entries.put(resource, e);
    log.info("new resource={} devices={}", resource, prepared.devices().size());
    return e;
  }

  private void retire(Entry e) {
    String resource = e.endpoint.spec().fullName();
    e.endpoint.stop();
    deviceInfo.removeOwn(e.endpoint.spec());
    if (settings.useCdi()) {
      cdi.remove(e.pool);
    }
    e.gauges.forEach(meters::remove);
    log.info("retired resource={}", resource);
  }

  private void refresh(Entry e) {
    Map<String, PreparedDevice> goneDevices = new LinkedHashMap<>();
    e.gone.values().forEach(g -> goneDevices.put(g.device().id(), g.device()));
    PreparedPool advertised = e.pool.with(goneDevices);
    Set<String> unhealthy = new HashSet<>(goneDevices.keySet());
    if (e.pool.spec().carrierHealth()) {
      for (PreparedDevice d : e.pool.devices().values()) {
        if (!health.healthy(d.device())) {
          unhealthy.add(d.id());
        }
      }
    }
    e.total.set(advertised.devices().size());
    e.unhealthy.set(unhealthy.size());
    e.endpoint.service().update(new AdvertisedPool(advertised, unhealthy));
    if (settings.useCdi()) {
      cdi.write(advertised);
    }
  }

  /**
   * The host removed these devices on purpose (the node daemon wrote a lower {@code sriov_numvfs}):
   * each leaves its pool at once (ListAndWatch without it) instead of staying Unhealthy for the
   * gone retention, whether the rescan that misses it ran already or runs later. A device that is
   * still discovered, or that comes back, is served as usual. Unknown IDs are ignored.
   *
   * @param ids device IDs (a VF's PCI address)
   */
  public synchronized void removedOnPurpose(Set<String> ids) {
    if (closed || ids.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    ids.forEach(id -> removedOnPurpose.put(id, now));
    for (Entry e : entries.values()) {
      if (e.gone.keySet().removeAll(ids)) {
        log.info(
            "devices removed by the host resource={} devices={}",
            e.endpoint.spec().fullName(),
            ids.stream().sorted().toList());
        refresh(e);
      }
    }
  }

  /** A link changed: pushes new health to the pools that depend on it. */
  public synchronized void onLinkEvent(LinkEvent event) {
    if (!health.apply(event)) {
      return;
    }
    String link = event.name().value();
    for (Entry e : entries.values()) {
      for (PreparedDevice d : e.pool.devices().values()) {
        if (LinkHealth.relevant(d.device(), link)) {
          log.info(
              "link health changed link={} carrier={} kind={} resource={}",
              link,
              event.carrier(),
              event.kind(),
              e.endpoint.spec().fullName());
          refresh(e);
          break;
        }
      }
    }
  }

  /**
   * One supervision round: re-serves endpoints whose socket vanished, retries legacy registration
   * and endpoints that could not listen (each with backoff), re-registers everything when
   * kubelet.sock was recreated (kubelet restarted), and drops gone devices past their retention.
   * Run on every change in kubelet's directories (inotify) and on a slow tick.
   */
  public synchronized void superviseOnce() {
    if (closed) {
      return;
    }
    for (Entry e : entries.values()) {
      PluginEndpoint ep = e.endpoint;
      PluginEndpoint.State s = ep.state();
      if (s != PluginEndpoint.State.STOPPED && ep.kubeletChanged()) {
        restartQuietly(e, "kubelet restarted (kubelet.sock recreated)");
      } else if ((s == PluginEndpoint.State.SERVING || s == PluginEndpoint.State.REGISTERED)
          && !ep.socketPresent()) {
        restartQuietly(e, "socket " + ep.socket() + " was removed");
      } else if (s == PluginEndpoint.State.SERVING && settings.mode() == RegistrationMode.LEGACY) {
        ep.registerWithKubelet();
      } else if (s == PluginEndpoint.State.STOPPED && e.startBackoff.due(System.nanoTime())) {
        startQuietly(e);
      }
    }
    Instant cutoff = clock.instant().minus(settings.goneRetention());
    removedOnPurpose.values().removeIf(since -> since.isBefore(cutoff));
    for (Entry e : entries.values()) {
      boolean dropped = e.gone.values().removeIf(g -> g.since().isBefore(cutoff));
      if (dropped) {
        log.info("dropped gone devices resource={}", e.endpoint.spec().fullName());
        refresh(e);
      }
    }
  }

  /** The endpoints by resource name, for tests and the dry-run output. */
  public synchronized Map<String, PluginEndpoint> endpoints() {
    Map<String, PluginEndpoint> m = new LinkedHashMap<>();
    entries.forEach((k, v) -> m.put(k, v.endpoint));
    return m;
  }

  /**
   * The pools whose endpoint is not registered with kubelet (yet, or any more), with their state;
   * empty when every pool is registered (readiness).
   */
  public synchronized Map<String, PluginEndpoint.State> unregistered() {
    Map<String, PluginEndpoint.State> m = new LinkedHashMap<>();
    entries.forEach(
        (k, v) -> {
          if (v.endpoint.state() != PluginEndpoint.State.REGISTERED) {
            m.put(k, v.endpoint.state());
          }
        });
    return m;
  }

  /** Health of every advertised device of every pool, for status output. */
  public synchronized Map<String, AdvertisedPool> advertised() {
    Map<String, AdvertisedPool> m = new LinkedHashMap<>();
    entries.forEach((k, v) -> m.put(k, v.endpoint.service().current()));
    return m;
  }

  /**
   * Stops every endpoint and removes the sockets, device-info files and CDI specs this process
   * created (and that no other instance has replaced since).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Entry e : entries.values()) {
      retire(e);
    }
    entries.clear();
    cdi.removeOwn();
    deviceInfo.served(List.of()); // a clean stop leaves no ledger: nothing to clean next time
  }

  /** Used by tests: a device of a pool, as advertised. */
  synchronized Optional<Device> device(String resource, String id) {
    return Optional.ofNullable(entries.get(resource))
        .flatMap(e -> e.endpoint.service().current().pool().device(id))
        .map(PreparedDevice::device);
  }
}
