package io.sriov.deviceplugin.config;

import io.sriov.core.config.ConfigException;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.config.ResourceConfigParser;
import io.sriov.core.config.ResourceList;
import io.sriov.core.resource.ResourcePrefix;
import java.util.List;
import java.util.Objects;

/**
 * What the device plugin serves: the resource pools (upstream's {@code config.json}, parsed or
 * built in memory; each pool carries its allocation policy).
 *
 * @param source names the config in messages: the file's path, or what rendered it
 */
public record DevicePluginConfig(String source, ResourceList resources) {

  public DevicePluginConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(resources, "resources");
  }

  /** Pools built in memory (the daemon renders them from policy). */
  public static DevicePluginConfig of(String source, List<ResourceConfig> resources) {
    return new DevicePluginConfig(source, new ResourceList(resources, List.of()));
  }

  /**
   * Parses a config file's text (JSON or YAML, upstream's format plus {@code allocationPolicy}).
   *
   * @param source the file's path, for messages
   * @throws PlanException {@code <source>: <path and problem>} for a config that cannot be used
   */
  public static DevicePluginConfig parse(String text, String source, ResourcePrefix defaultPrefix) {
    try {
      return new DevicePluginConfig(
          source, new ResourceConfigParser().parse(text, source, defaultPrefix));
    } catch (ConfigException e) {
      throw new PlanException(source + ": " + e.getMessage(), e);
    }
  }
}
