package io.sriov.deviceplugin.pool;

import java.util.Locale;
import java.util.Optional;

/**
 * How {@code GetPreferredAllocation} chooses among devices of one NUMA node. Configured per pool
 * with the optional resource-config key {@code allocationPolicy} (ours; upstream ignores unknown
 * keys, so a config using it still works there).
 */
public enum AllocationPolicy {
  /** Take devices from as many PFs as possible (fault isolation, less per-PF contention). */
  SPREAD,
  /** Take devices from as few PFs as possible (keeps whole PFs free for large requests). */
  PACK;

  public static final AllocationPolicy DEFAULT = SPREAD;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AllocationPolicy> fromConfigName(String s) {
    for (AllocationPolicy p : values()) {
      if (p.configName().equals(s)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
