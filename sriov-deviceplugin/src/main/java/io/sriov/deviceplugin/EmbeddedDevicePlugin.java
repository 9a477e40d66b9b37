package io.sriov.deviceplugin;

import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.cdi.CdiSpecs;
import io.sriov.deviceplugin.config.ConfigPoolPlanner;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.node.Node;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
   * @param supervise how often sockets and registration are checked (kubelet restarts)
   */
  public record Timings(
      Duration registerTimeout,
      Duration rescan,
      Duration debounce,
      Duration goneRetention,
      Duration supervise) {
    /** Upstream's register deadline; 30 s rescan, 300 ms debounce, 5 min hold, 500 ms check. */
    public static final Timings DEFAULT =
        new Timings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMillis(300),
            Duration.ofMinutes(5),
            Duration.ofMillis(500));

    public Timings {
      Reconciler.Timing.positive(registerTimeout, "registerTimeout");
      Reconciler.Timing.positive(rescan, "rescan");
      Reconciler.Timing.positive(debounce, "debounce");
      Reconciler.Timing.positive(goneRetention, "goneRetention");
      Reconciler.Timing.positive(supervise, "supervise");
    }

    Reconciler.Timing reconciler() {
      return new Reconciler.Timing(rescan, debounce, supervise);
    }
  }

  private final ScheduledExecutorService scheduler;
  private final UnixTransport transport;
  private final DevicePluginManager manager;
  private final Reconciler reconciler;
  private boolean closed;

  private EmbeddedDevicePlugin(
      ScheduledExecutorService scheduler,
      UnixTransport transport,
      DevicePluginManager manager,
      Reconciler reconciler) {
    this.scheduler = scheduler;
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
    log.info(
        "starting node=\"{}\" config={} mode={} cdi={}",
        node.label(),
        config.source(),
        mode,
        o.useCdi());
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sriov-dp-reconciler");
              t.setDaemon(true);
              return t;
            });
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
            new CdiSpecs(o.cdiDir()),
            meters,
            Clock.systemUTC(),
            scheduler);
    Reconciler reconciler =
        new Reconciler(
            new ConfigPoolPlanner(node.discovery(), node.defaultRouteLinks()),
            manager,
            new Reconciler.Events(node.links(), node.deviceEvents(), node.defaultRouteEvents()),
            scheduler,
            meters,
            o.timings().reconciler());
    EmbeddedDevicePlugin plugin =
        new EmbeddedDevicePlugin(scheduler, transport, manager, reconciler);
    try {
      reconciler.start(config);
    } catch (RuntimeException e) {
      plugin.close();
      throw e;
    }
    return plugin;
  }

  /**
   * Serves the pools of {@code config} from now on: new pools get endpoints, removed ones are
   * retired, unchanged devices keep their answers.
   *
   * @throws PlanException when the config is unusable; the last good one keeps being served
   */
  public void update(DevicePluginConfig config) {
    log.info("config update source={}", config.source());
    reconciler.apply(config);
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
    transport.close();
  }
}
