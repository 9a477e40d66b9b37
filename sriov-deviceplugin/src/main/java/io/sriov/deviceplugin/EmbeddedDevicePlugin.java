package io.sriov.deviceplugin;

import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.allocate.SysfsDeviceNodeLookup;
import io.sriov.deviceplugin.cdi.CdiSpecs;
import io.sriov.deviceplugin.config.ConfigPoolPlanner;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.deviceplugin.node.NodeAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running device plugin, for hosting it in another process (the config daemon) as well as for
 * {@link DevicePluginApp}: start it with the paths, a node and a meter registry; close it to stop
 * every endpoint and remove sockets, device-info files and CDI specs. The node stays the caller's.
 */
public final class EmbeddedDevicePlugin implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDevicePlugin.class);

  /**
   * Where things are and how to answer.
   *
   * @param useCdi upstream's {@code --use-cdi}
   */
  public record Options(
      Path configFile,
      ResourcePrefix defaultPrefix,
      boolean useCdi,
      KubeletPaths kubelet,
      Path cdiDir,
      Path deviceInfoDir) {
    public Options {
      Objects.requireNonNull(configFile, "configFile");
      Objects.requireNonNull(defaultPrefix, "defaultPrefix");
      Objects.requireNonNull(kubelet, "kubelet");
      Objects.requireNonNull(cdiDir, "cdiDir");
      Objects.requireNonNull(deviceInfoDir, "deviceInfoDir");
    }
  }

  private final ScheduledExecutorService scheduler;
  private final ExecutorService registrations;
  private final UnixTransport transport;
  private final DevicePluginManager manager;
  private final Reconciler reconciler;
  private boolean closed;

  private EmbeddedDevicePlugin(
      ScheduledExecutorService scheduler,
      ExecutorService registrations,
      UnixTransport transport,
      DevicePluginManager manager,
      Reconciler reconciler) {
    this.scheduler = scheduler;
    this.registrations = registrations;
    this.transport = transport;
    this.manager = manager;
    this.reconciler = reconciler;
  }

  /**
   * Plans the pools, starts one endpoint per pool and the background work.
   *
   * @throws PlanException when the config is unusable (nothing is left running)
   */
  public static EmbeddedDevicePlugin start(Options o, NodeAccess node, MeterRegistry meters) {
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
        o.configFile(),
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
                o.kubelet(), mode, o.useCdi(), Duration.ofSeconds(5), Duration.ofMinutes(5)),
            transport,
            new InfoProviders(new SysfsDeviceNodeLookup(node.sys(), node.dev())),
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
            o.configFile(),
            new ConfigPoolPlanner(
                o.configFile().toString(),
                o.defaultPrefix(),
                node.discovery(),
                node.defaultRouteLinks()),
            manager,
            new Reconciler.Events(node.links(), node.deviceEvents(), node.defaultRouteEvents()),
            scheduler,
            meters,
            Reconciler.Timing.DEFAULT);
    EmbeddedDevicePlugin plugin =
        new EmbeddedDevicePlugin(scheduler, registrations, transport, manager, reconciler);
    try {
      reconciler.start();
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

  public DevicePluginManager manager() {
    return manager;
  }

  public Reconciler reconciler() {
    return reconciler;
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
