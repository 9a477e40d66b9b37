package io.sriov.deviceplugin.kubelet;

import io.sriov.deviceplugin.allocate.PreparedPool;
import java.util.Objects;
import java.util.Set;

/** A pool as it is advertised right now: its devices, and which of them are unhealthy. */
public record AdvertisedPool(PreparedPool pool, Set<String> unhealthy) {
  public AdvertisedPool {
    Objects.requireNonNull(pool, "pool");
    unhealthy = Set.copyOf(unhealthy);
  }
}
