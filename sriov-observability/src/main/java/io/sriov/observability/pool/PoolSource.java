package io.sriov.observability.pool;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The device plugin's pools as advertised to kubelet right now. The composition root adapts the
 * embedded device plugin to it, so this library does not depend on the engine.
 */
@FunctionalInterface
public interface PoolSource {
  List<Pool> pools();

  /**
   * One advertised pool.
   *
   * @param resource the extended resource, {@code openshift.io/intel_sriov_netdevice}
   * @param deviceIds every advertised device ID (healthy or not)
   * @param healthy how many of them are advertised Healthy
   */
  record Pool(String resource, Set<String> deviceIds, int healthy) {
    public Pool {
      Objects.requireNonNull(resource, "resource");
      deviceIds = Set.copyOf(deviceIds);
      if (healthy < 0 || healthy > deviceIds.size()) {
        throw new IllegalArgumentException(
            "healthy " + healthy + " out of range for " + deviceIds.size() + " devices");
      }
    }
  }
}
