package io.sriov.deviceplugin.config;

import io.sriov.deviceplugin.pool.ResourcePool;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Turns a config and the node's devices into pools. */
public interface PoolPlanner {

  /**
   * Discovers the devices and assigns them to the pools of {@code config}.
   *
   * @throws PlanException with the precise problem (an empty resource list, unreadable routes)
   */
  Plan plan(DevicePluginConfig config);

  /**
   * @param discovered IDs of every device discovery found, pooled or not
   * @param warnings problems that did not stop the plan (a device discovery skipped, ...)
   * @param excluded discovered devices no pool may take, with the reason (shown by --dry-run)
   */
  record Plan(
      List<ResourcePool> pools,
      Set<String> discovered,
      List<String> warnings,
      List<Excluded> excluded) {
    public Plan {
      pools = List.copyOf(pools);
      discovered = Set.copyOf(discovered);
      warnings = List.copyOf(warnings);
      excluded = List.copyOf(excluded);
    }

    public Plan(List<ResourcePool> pools, Set<String> discovered, List<String> warnings) {
      this(pools, discovered, warnings, List.of());
    }
  }

  /**
   * A device kept out of every pool.
   *
   * @param id the device ID (PCI address)
   * @param netdev its netdev name
   * @param altNames the netdev's alternative names ({@code ip link property add ... altname})
   * @param reason why, for people ({@code carries the IPv4 default route})
   */
  record Excluded(String id, String netdev, List<String> altNames, String reason) {
    public Excluded {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(netdev, "netdev");
      altNames = List.copyOf(altNames);
      Objects.requireNonNull(reason, "reason");
    }

    public Excluded(String id, String netdev, String reason) {
      this(id, netdev, List.of(), reason);
    }
  }
}
