package io.sriov.deviceplugin.pool;

import io.sriov.core.device.Device;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One pool as the config and discovery define it: its spec, its devices in order, and what the
 * selector that took each device asks for (absent: {@link DeviceNeeds#NONE}).
 */
public record ResourcePool(PoolSpec spec, List<Device> devices, Map<String, DeviceNeeds> needs) {

  public ResourcePool {
    Objects.requireNonNull(spec, "spec");
    devices = List.copyOf(devices);
    needs = Map.copyOf(needs);
  }

  /** A pool whose devices need nothing extra. */
  public ResourcePool(PoolSpec spec, List<Device> devices) {
    this(spec, devices, Map.of());
  }

  /** A pool whose devices all have the same needs. */
  public static ResourcePool uniform(PoolSpec spec, DeviceNeeds needs, List<Device> devices) {
    Map<String, DeviceNeeds> m = new LinkedHashMap<>();
    devices.forEach(d -> m.put(d.id(), needs));
    return new ResourcePool(spec, devices, m);
  }

  public DeviceNeeds needsOf(Device d) {
    return needs.getOrDefault(d.id(), DeviceNeeds.NONE);
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
