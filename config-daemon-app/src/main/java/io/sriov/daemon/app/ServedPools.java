package io.sriov.daemon.app;

import io.sriov.core.config.ResourceConfig;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.engine.ReconcileLoop;
import io.sriov.daemon.state.SavedNodeState;
import io.sriov.deviceplugin.EmbeddedDevicePlugin;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.observability.pool.PoolSource;
import io.sriov.os.files.FileErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded device plugin's pools while the daemon serves, and what follows each pass: the
 * accepted desired state is saved for the boot re-apply, and the pools are rendered again ({@link
 * DesiredPools}) and handed over when they changed (a new desired state, a PF that failed or
 * recovered); a drift re-check that changes no pool touches nothing.
 *
 * <p>The plugin runs while there is a pool to serve: it is started with the first non-empty set (at
 * once, or later: a cluster-mode node without a rendered state yet, a desired state without
 * vfGroups) and closed when every pool is retired (an empty resource list is no plugin config).
 */
final class ServedPools implements ReconcileLoop.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServedPools.class);

  /** Starts the plugin on a config. */
  @FunctionalInterface
  interface Starter {
    EmbeddedDevicePlugin start(DevicePluginConfig config);
  }

  static final String SOURCE = "desired node state";

  private final Starter starter;
  private final ResourcePrefix prefix;
  private final SavedNodeState saved;
  private List<ResourceConfig> served = List.of();
  private EmbeddedDevicePlugin plugin; // null while no pool is served

  /**
   * Serves {@code initial} at once (no plugin when it is empty).
   *
   * @throws PlanException when the device plugin refuses {@code initial} (nothing left running)
   */
  ServedPools(
      Starter starter, ResourcePrefix prefix, SavedNodeState saved, List<ResourceConfig> initial) {
    this.starter = Objects.requireNonNull(starter, "starter");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.saved = Objects.requireNonNull(saved, "saved");
    if (!initial.isEmpty()) {
      plugin = starter.start(DevicePluginConfig.of(SOURCE, initial));
      served = List.copyOf(initial);
    }
  }

  /** The pools the device plugin serves now. */
  synchronized List<ResourceConfig> served() {
    return served;
  }

  @Override
  public synchronized void passed(ReconcileLoop.Cause cause, NodeEngine.Pass pass) {
    if (pass.desired().isEmpty() || pass.report().isEmpty()) {
      return; // rejected or deferred: the last good state and its pools stay
    }
    save(saved, pass);
    DesiredPools.Pools pools =
        DesiredPools.render(
            pass.desired().get(), pass.report().get(), pass.state().status(), prefix);
    if (pools.pools().equals(served)) {
      return;
    }
    if (!pools.withoutDevices().isEmpty()) {
      log.warn("pools not served, none of their PFs applied: {}", pools.withoutDevices());
    }
    try {
      serve(pools.pools());
      log.info(
          "pools updated cause={} pools={}",
          cause,
          served.stream().map(ResourceConfig::fullName).toList());
    } catch (PlanException e) {
      log.error("device plugin refused the pools error=\"{}\"", e.getMessage());
    }
  }

  private void serve(List<ResourceConfig> pools) {
    if (pools.isEmpty()) {
      plugin.close();
      plugin = null;
    } else if (plugin == null) {
      plugin = starter.start(DevicePluginConfig.of(SOURCE, pools));
    } else {
      plugin.update(DevicePluginConfig.of(SOURCE, pools));
    }
    served = List.copyOf(pools);
  }

  /** Readiness: the pools kubelet has not registered yet; none without a plugin. */
  synchronized Optional<String> notRegistered() {
    return plugin == null ? Optional.empty() : plugin.notRegistered();
  }

  /** Liveness: whether the plugin's event loop stalled; a stopped plugin does not. */
  synchronized Optional<String> stalled() {
    return plugin == null ? Optional.empty() : plugin.stalled();
  }

  /** The device plugin's pools as the metrics see them. */
  synchronized List<PoolSource.Pool> metricsPools() {
    List<PoolSource.Pool> out = new ArrayList<>();
    if (plugin == null) {
      return out;
    }
    plugin
        .manager()
        .advertised()
        .forEach(
            (resource, a) -> {
              var ids = a.pool().devices().keySet();
              int unhealthy = (int) ids.stream().filter(a.unhealthy()::contains).count();
              out.add(new PoolSource.Pool(resource, ids, ids.size() - unhealthy));
            });
    return out;
  }

  /** Saves the pass's accepted desired state for the boot re-apply; a failure is logged. */
  static void save(SavedNodeState saved, NodeEngine.Pass pass) {
    if (pass.desired().isEmpty()) {
      return;
    }
    try {
      saved.save(pass.state());
    } catch (IOException e) {
      log.error(
          "cannot save the desired state for the boot re-apply file={} error=\"{}\"",
          saved.file(),
          FileErrors.describe(e));
    }
  }

  /** Stops the plugin (its sockets removed). */
  @Override
  public synchronized void close() {
    if (plugin != null) {
      plugin.close();
      plugin = null;
    }
  }
}
