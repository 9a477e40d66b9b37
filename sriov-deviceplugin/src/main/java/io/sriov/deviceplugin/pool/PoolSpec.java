package io.sriov.deviceplugin.pool;

import io.sriov.core.config.AllocationPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the device plugin needs to know about one resource pool, independent of how the config file
 * spelled it.
 *
 * @param prefix the resource prefix ({@code intel.com})
 * @param name the resource name ({@code intel_sriov_netdevice})
 * @param excludeTopology when true, devices are advertised without NUMA topology
 * @param additionalInfo {@code additionalInfo}: key {@code *} applies to every device, a device ID
 *     key to that device (overriding {@code *})
 */
public record PoolSpec(
    String prefix,
    String name,
    DeviceKind kind,
    boolean excludeTopology,
    Map<String, Map<String, String>> additionalInfo,
    AllocationPolicy policy) {

  public PoolSpec {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(policy, "policy");
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    additionalInfo.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
    additionalInfo = Map.copyOf(copy);
  }

  /** A plain pool: with topology, no additional info, default policy. */
  public static PoolSpec simple(String prefix, String name, DeviceKind kind) {
    return new PoolSpec(prefix, name, kind, false, Map.of(), AllocationPolicy.DEFAULT);
  }

  /** {@code <prefix>/<name>}, the extended resource name kubelet advertises. */
  public String fullName() {
    return prefix + "/" + name;
  }

  /** {@code <prefix>_<name>.sock}, the plugin's socket file name (as upstream names it). */
  public String socketName() {
    return prefix + "_" + name + ".sock";
  }

  /** The {@code extra} info for one device: {@code *} overlaid with the device's own keys. */
  public Map<String, String> extraInfoFor(String deviceId) {
    Map<String, String> all = additionalInfo.get("*");
    Map<String, String> own = additionalInfo.get(deviceId);
    if (all == null && own == null) {
      return Map.of();
    }
    Map<String, String> merged = new LinkedHashMap<>();
    if (all != null) {
      merged.putAll(all);
    }
    if (own != null) {
      merged.putAll(own);
    }
    return merged;
  }

  public PoolSpec withPolicy(AllocationPolicy p) {
    return new PoolSpec(prefix, name, kind, excludeTopology, additionalInfo, p);
  }
}
