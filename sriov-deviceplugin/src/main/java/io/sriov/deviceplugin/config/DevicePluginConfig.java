package io.sriov.deviceplugin.config;

import io.sriov.core.config.ConfigException;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.config.ResourceConfigParser;
import io.sriov.core.config.ResourceList;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.deviceplugin.pool.AllocationPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the device plugin serves: the resource pools (upstream's {@code config.json}, parsed or
 * built in memory) and our optional per-pool allocation policies.
 *
 * @param source names the config in messages: the file's path, or what rendered it
 * @param allocationPolicies by full resource name ({@code prefix/name}); a pool without one uses
 *     {@link AllocationPolicy#DEFAULT}
 */
public record DevicePluginConfig(
    String source, ResourceList resources, Map<String, AllocationPolicy> allocationPolicies) {

  public DevicePluginConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(resources, "resources");
    allocationPolicies = Map.copyOf(allocationPolicies);
  }

  /** Pools built in memory (the daemon renders them from policy), default allocation policy. */
  public static DevicePluginConfig of(String source, List<ResourceConfig> resources) {
    return new DevicePluginConfig(source, new ResourceList(resources, List.of()), Map.of());
  }

  /**
   * Parses a config file's text (JSON or YAML, upstream's format plus {@code allocationPolicy}).
   *
   * @param source the file's path, for messages
   * @throws PlanException {@code <source>: <path and problem>} for a config that cannot be used
   */
  public static DevicePluginConfig parse(String text, String source, ResourcePrefix defaultPrefix) {
    ResourceList parsed;
    Map<String, AllocationPolicy> policies;
    try {
      parsed = new ResourceConfigParser().parse(text, source, defaultPrefix);
      policies = AllocationPolicies.read(text, defaultPrefix.value());
    } catch (ConfigException | PlanException e) {
      throw new PlanException(source + ": " + e.getMessage(), e);
    }
    List<String> warnings = new ArrayList<>();
    for (String w : parsed.warnings()) {
      if (!w.endsWith("." + AllocationPolicies.KEY + ": unknown key, ignored")) {
        warnings.add(w);
      }
    }
    return new DevicePluginConfig(source, new ResourceList(parsed.resources(), warnings), policies);
  }

  /** The pool's allocation policy. */
  public AllocationPolicy allocationPolicy(ResourceConfig pool) {
    return allocationPolicies.getOrDefault(pool.fullName(), AllocationPolicy.DEFAULT);
  }
}
