package io.sriov.deviceplugin;

import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.cdi.CdiSpecs;
import io.sriov.deviceplugin.config.ConfigPoolPlanner;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.PluginEndpoint;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.node.Node;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running device plugin engine, hosted by a process that owns the node (the config daemon, or the
 * standalone app): start it with its options, the node, a meter registry and the pools to serve;
 * {@link #update} it with new pools; close it to stop every endpoint and remove sockets,
 * device-info files and CDI specs. The node stays the caller's. The config comes from memory: the
 * daemon renders it from policy, the standalone app parses its config file.
 */
public final class EmbeddedDevicePlugin implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDevicePlugin.class);

  /**
   * Where things are, how to answer and how fast to react.
   *
   * @param useCdi upstream's {@code --use-cdi}
   */
  public record Options(
      boolean useCdi, KubeletPaths kubelet, Path cdiDir, Path deviceInfoDir, Timings timings) {
    public Options {
      Objects.requireNonNull(kubelet, "kubelet");
      Objects.requireNonNull(cdiDir, "cdiDir");
      Objects.requireNonNull(deviceInfoDir, "deviceInfoDir");
      Objects.requireNonNull(timings, "timings");
    }
  }

  /**
   * @param registerTimeout deadline of a legacy {@code Register} call to kubelet
   * @param rescan how often devices are rediscovered without a trigger
   * @param debounce delay of a rescan triggered by link, device or default-route events
   * @param goneRetention how long a vanished device stays advertised as Unhealthy (same ID)
   * @param supervise how often sockets and registration are checked besides on every change in
   *     kubelet's directories (inotify): the tick for retries and for dropping gone devices
   * @param retry first delay before re-applying a config whose apply failed (doubling, at most 64
   *     times that)
   */
  public record Timings(
      Duration registerTimeout,
      Duration rescan,
      Duration debounce,
      Duration goneRetention,
      Duration supervise,
      Duration retry) {
    /**
     * Upstream's register deadline; a 10 min safety-net rescan (every change a rescan finds is
     * signalled by a link, PCI or default-route event and rescanned 300 ms later; the periodic one
     * catches what no event reports, e.g. a VF's RDMA device appearing, at the cost of one
     * discovery per 10 min instead of one per 30 s while idle), 300 ms debounce, 5 min hold, a 10 s
     * check (kubelet restarts are seen at once through inotify), 1 s first retry.
     */
    public static final Timings DEFAULT =
        new Timings(
            Duration.ofSeconds(5),
            Duration.ofMinutes(10),
            Duration.ofMillis(300),
            Duration.ofMinutes(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1));

    public Timings {
      Reconciler.Timing.positive(registerTimeout, "registerTimeout");
      Reconciler.Timing.positive(rescan, "rescan");
      Reconciler.Timing.positive(debounce, "debounce");
      Reconciler.Timing.positive(goneRetention, "goneRetention");
      Reconciler.Timing.positive(supervise, "supervise");
      Reconciler.Timing.positive(retry, "retry");
    }

    Reconciler.Timing reconciler() {
      return new Reconciler.Timing(rescan, debounce, supervise, retry);
    }
  }

  private final ScheduledExecutorService scheduler;
  private final ExecutorService registrations;
  private final UnixTransport transport;
  private final DevicePluginManager manager;
  private final Reconciler reconciler;
  private final Duration supervise;
  private boolean closed;

  private EmbeddedDevicePlugin(
      ScheduledExecutorService scheduler,
      ExecutorService registrations,
      UnixTransport transport,
      DevicePluginManager manager,
      Reconciler reconciler,
      Duration supervise) {
    this.supervise = supervise;
    this.scheduler = scheduler;
    this.registrations = registrations;
    this.transport = transport;
    this.manager = manager;
    this.reconciler = reconciler;
  }

  /**
   * Plans the pools of {@code config}, starts one endpoint per pool and the background work.
   *
   * @throws PlanException when the config is unusable (nothing is left running)
   */
  public static EmbeddedDevicePlugin start(
      Options o, Node node, MeterRegistry meters, DevicePluginConfig config) {
    RegistrationMode mode = o.kubelet().detectMode();
    o.kubelet()
        .checkSocketRoom(mode)
        .ifPresent(
            problem -> {
              throw new PlanException("kubelet directory: " + problem);
            });
    log.info(
        "starting node=\"{}\" config={} mode={} cdi={}",
        node.label(),
        config.source(),
        mode,
        o.useCdi());
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("sriov-dp-reconciler"));
    warnWhatIsMissing(o.kubelet(), mode);
    // Legacy Register calls run here, one thread per call in flight: a kubelet that hangs holds
    // a thread for the call's deadline, never the reconciler, the manager's lock or shutdown.
    ExecutorService registrations = Executors.newCachedThreadPool(daemon("sriov-dp-register"));
    UnixTransport transport = new UnixTransport();
    DevicePluginManager manager =
        new DevicePluginManager(
            new DevicePluginManager.Settings(
                o.kubelet(),
                mode,
                o.useCdi(),
                o.timings().registerTimeout(),
                o.timings().goneRetention()),
            transport,
            new InfoProviders(new DeviceNodes(node.root())),
            new DeviceInfoFiles(o.deviceInfoDir()),
            // On the standard layout, also clean upstream's other spec dir (a node migrating).
            new CdiSpecs(
                o.cdiDir(),
                o.cdiDir().equals(Path.of("/var/run/cdi")) ? CdiSpecs.UPSTREAM_DIRS : List.of()),
            meters,
            Clock.systemUTC(),
            registrations);
    Reconciler reconciler =
        new Reconciler(
            new ConfigPoolPlanner(node.discovery(), node.defaultRouteLinks()),
            manager,
            new Reconciler.Events(node.links(), node.deviceEvents(), node.defaultRouteEvents()),
            scheduler,
            meters,
            o.timings().reconciler());
    EmbeddedDevicePlugin plugin =
        new EmbeddedDevicePlugin(
            scheduler, registrations, transport, manager, reconciler, o.timings().supervise());
    try {
      reconciler.start(config);
    } catch (RuntimeException e) {
      plugin.close();
      throw e;
    }
    return plugin;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Says once, at start, what of kubelet is not there yet (nothing is logged per retry). */
  private static void warnWhatIsMissing(KubeletPaths paths, RegistrationMode mode) {
    Path dir = paths.socketDir(mode);
    if (!Files.isDirectory(dir)) {
      log.warn(
          "kubelet directory {} does not exist (kubelet not running yet, or --kubelet-dir wrong):"
              + " the pools are served once it appears",
          dir);
    } else if (mode == RegistrationMode.LEGACY && !Files.exists(paths.kubeletSocket())) {
      log.warn(
          "kubelet socket {} does not exist (kubelet not running yet): registering once kubelet"
              + " creates it",
          paths.kubeletSocket());
    }
  }

  /**
   * Serves the pools of {@code config} from now on: new pools get endpoints, removed ones are
   * retired, unchanged devices keep their answers. An apply that fails for another reason than the
   * config (the filesystem) is retried with backoff while the previous pools keep being served.
   *
   * @return true when applied; false when the apply failed and is being retried
   * @throws PlanException when the config is unusable; the last good one keeps being served
   */
  public boolean update(DevicePluginConfig config) {
    log.info("config update source={}", config.source());
    return reconciler.apply(config);
  }

  /**
   * The host removed these devices on purpose (the node daemon lowered a PF's VF count): they leave
   * their pools at once instead of staying Unhealthy for {@link Timings#goneRetention}, which is
   * kept for devices that vanish without the host saying so (a PF reset, a firmware reload).
   *
   * @param ids device IDs (a VF's PCI address, as advertised)
   */
  public void removedOnPurpose(Set<String> ids) {
    manager.removedOnPurpose(ids);
  }

  /**
   * Why the device plugin is not ready, empty when every pool is registered with kubelet: {@code
   * not registered with kubelet: openshift.io/a (SERVING), ...}.
   */
  public Optional<String> notRegistered() {
    Map<String, PluginEndpoint.State> m = manager.unregistered();
    if (m.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder b = new StringBuilder("not registered with kubelet: ");
    String sep = "";
    for (Map.Entry<String, PluginEndpoint.State> e : m.entrySet()) {
      b.append(sep).append(e.getKey()).append(" (").append(e.getValue()).append(')');
      sep = ", ";
    }
    return Optional.of(b.toString());
  }

  /**
   * Why the device plugin's event loop looks dead, empty when it is alive: its periodic supervision
   * has not run for three ticks ({@link Timings#supervise}).
   */
  public Optional<String> stalled() {
    Duration since = reconciler.sinceSupervised();
    Duration limit = supervise.multipliedBy(3);
    if (since.compareTo(limit) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "reconciler has not supervised for "
            + since.toMillis()
            + " ms (limit "
            + limit.toMillis()
            + " ms)");
  }

  public DevicePluginManager manager() {
    return manager;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("stopping");
    reconciler.close();
    manager.close();
    scheduler.shutdownNow();
    registrations.shutdownNow();
    transport.close();
  }
}
