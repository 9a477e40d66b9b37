package io.sriov.daemon.app;

import io.sriov.core.config.ResourceConfig;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.EmbeddedDevicePlugin;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.observability.pool.PoolSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded device plugin while the desired state has pools. A desired state without pools (a
 * node no policy selects yet) is a normal state of a serving daemon, not an error: the device
 * plugin, which refuses an empty resource list as upstream's does, is then simply not running. It
 * is started by the first pools, handed each later set, and stopped (its endpoints retired) when
 * none is left; the daemon's other parts (the CNI server, metrics, drift repair) run throughout.
 */
final class DevicePluginSlot implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevicePluginSlot.class);
  static final String SOURCE = "desired node state";

  /** Starts the device plugin on its first pools (the daemon's {@code EmbeddedDevicePlugin}). */
  @FunctionalInterface
  interface Starter {
    EmbeddedDevicePlugin start(DevicePluginConfig config);
  }

  private final Starter starter;
  private EmbeddedDevicePlugin plugin; // null while there is no pool
  private boolean closed;

  DevicePluginSlot(Starter starter) {
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  /**
   * Serves {@code pools} from now on: starts the plugin, updates it, or stops it when the list is
   * empty.
   *
   * @throws PlanException when the device plugin refuses the pools (the previous ones stay)
   */
  synchronized void serve(List<ResourceConfig> pools) {
    if (closed) {
      return;
    }
    if (pools.isEmpty()) {
      if (plugin != null) {
        log.info("no pools left in the desired state: stopping the device plugin");
        plugin.close();
        plugin = null;
      } else {
        log.info("no pools in the desired state: the device plugin starts with the first pool");
      }
      return;
    }
    DevicePluginConfig config = DevicePluginConfig.of(SOURCE, pools);
    if (plugin == null) {
      plugin = starter.start(config);
    } else {
      plugin.update(config);
    }
  }

  /**
   * The daemon removed these VFs on purpose (fewer VFs in the desired state): the device plugin
   * drops them from their pools at once instead of holding them Unhealthy for its gone retention.
   * Nothing to do while it is not running.
   */
  synchronized void removedOnPurpose(List<PciAddress> vfs) {
    if (closed || plugin == null || vfs.isEmpty()) {
      return;
    }
    Set<String> ids = new HashSet<>();
    vfs.forEach(a -> ids.add(a.toString()));
    plugin.removedOnPurpose(ids);
  }

  /** Whether the device plugin is running (the desired state has pools). */
  synchronized boolean running() {
    return plugin != null;
  }

  /** Why the device plugin is not ready; empty when it is, or when it has no pool to serve. */
  synchronized Optional<String> notRegistered() {
    return plugin == null ? Optional.empty() : plugin.notRegistered();
  }

  /** Why the device plugin's loop looks dead; empty when alive or not running. */
  synchronized Optional<String> stalled() {
    return plugin == null ? Optional.empty() : plugin.stalled();
  }

  /** The pools the device plugin advertises, as the metrics see them (none while not running). */
  synchronized List<PoolSource.Pool> pools() {
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

  @Override
  public synchronized void close() {
    closed = true;
    if (plugin != null) {
      plugin.close();
      plugin = null;
    }
  }
}
