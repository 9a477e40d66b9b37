package io.sriov.core.config;

import java.util.Locale;
import java.util.Optional;

/**
 * A pool's {@code allocationPolicy}: how the device plugin's {@code GetPreferredAllocation} chooses
 * among devices of one NUMA node. Ours: upstream's device plugin has no such key and ignores
 * unknown keys, so a config using it still works there.
 */
public enum AllocationPolicy {
  /** {@code spread} (the default): take devices from as many PFs as possible. */
  SPREAD,
  /** {@code pack}: take devices from as few PFs as possible (keeps whole PFs free). */
  PACK;

  public static final AllocationPolicy DEFAULT = SPREAD;

  /** The exact spelling used in config files. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Looks up a config spelling; case-sensitive, like {@link DeviceType#fromConfigName}. */
  public static Optional<AllocationPolicy> fromConfigName(String s) {
    for (AllocationPolicy p : values()) {
      if (p.configName().equals(s)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return configName();
  }
}
