package io.sriov.sysfs.provision;

import io.sriov.core.value.DriverName;
import java.util.Objects;
import java.util.Optional;

/**
 * What a driver bind did: the driver bound before (empty when none) and the one bound now, both
 * read by {@link SriovProvisioner} from the function's {@code driver} link (the one after the bind
 * once it settled).
 */
public record DriverChange(Optional<DriverName> before, DriverName now) {
  public DriverChange {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(now, "now");
  }

  public boolean changed() {
    return !before.equals(Optional.of(now));
  }
}
