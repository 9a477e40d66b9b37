package io.sriov.deviceplugin.pool;

import io.sriov.core.device.Device;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One pool as the config and discovery define it: its spec and its devices, in order. */
public record ResourcePool(PoolSpec spec, List<Device> devices) {

  public ResourcePool {
    Objects.requireNonNull(spec, "spec");
    devices = List.copyOf(devices);
  }

  public Optional<Device> device(String id) {
    for (Device d : devices) {
      if (d.id().equals(id)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** Devices by ID, in pool order. */
  public Map<String, Device> byId() {
    Map<String, Device> m = new LinkedHashMap<>();
    for (Device d : devices) {
      m.put(d.id(), d);
    }
    return m;
  }
}
