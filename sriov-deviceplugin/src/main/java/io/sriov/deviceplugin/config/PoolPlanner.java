package io.sriov.deviceplugin.config;

import io.sriov.deviceplugin.pool.ResourcePool;
import java.util.List;
import java.util.Set;

/** Turns a config text and the node's devices into pools. */
public interface PoolPlanner {

  /**
   * Parses {@code configText}, discovers the devices, and assigns them to pools.
   *
   * @throws PlanException with the precise problem (path and field for config errors)
   */
  Plan plan(String configText);

  /**
   * @param discovered IDs of every device discovery found, pooled or not
   * @param warnings problems that did not stop the plan (a device discovery skipped, ...)
   */
  record Plan(List<ResourcePool> pools, Set<String> discovered, List<String> warnings) {
    public Plan {
      pools = List.copyOf(pools);
      discovered = Set.copyOf(discovered);
      warnings = List.copyOf(warnings);
    }
  }
}
