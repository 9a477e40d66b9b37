package io.sriov.deviceplugin.allocate;

import io.sriov.core.device.Device;
import io.sriov.core.json.GoJsonWriter;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.sysfs.devnode.DeviceNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A pool whose per-device Allocate answers are precomputed, so Allocate only looks them up. */
public final class PreparedPool {
  private final PoolSpec spec;
  private final Map<String, PreparedDevice> devices;
  private final String envName;
  private final String infoEnvName;

  private PreparedPool(PoolSpec spec, Map<String, PreparedDevice> devices) {
    this.spec = spec;
    this.devices = Collections.unmodifiableMap(devices);
    this.envName = PciDeviceEnv.name(spec.prefix(), spec.name());
    this.infoEnvName = envName + "_INFO";
  }

  public static PreparedPool prepare(ResourcePool pool, InfoProviders providers) {
    return prepare(pool, providers, null);
  }

  /**
   * Like {@link #prepare(ResourcePool, InfoProviders)}, reusing {@code previous}'s answers for
   * devices that did not change (same spec, same device, same needs): a rebuild where little
   * changed costs little.
   */
  public static PreparedPool prepare(
      ResourcePool pool, InfoProviders providers, PreparedPool previous) {
    boolean reuse = previous != null && previous.spec.equals(pool.spec());
    Map<String, PreparedDevice> m = new LinkedHashMap<>();
    for (Device d : pool.devices()) {
      DeviceNeeds needs = pool.needsOf(d);
      PreparedDevice old = reuse ? previous.devices.get(d.id()) : null;
      if (old != null && old.needs().equals(needs) && old.device().equals(d)) {
        m.put(d.id(), old);
      } else {
        m.put(d.id(), prepare(pool.spec(), needs, d, providers));
      }
    }
    return new PreparedPool(pool.spec(), m);
  }

  static PreparedDevice prepare(
      PoolSpec spec, DeviceNeeds needs, Device d, InfoProviders providers) {
    List<ProviderInfo> infos = providers.forDevice(spec, needs, d);
    Map<String, Map<String, String>> byName = new TreeMap<>(GoJsonWriter.KEY_ORDER);
    List<DeviceNode> nodes = new ArrayList<>();
    for (ProviderInfo p : infos) {
      byName.put(p.name(), p.info());
      nodes.addAll(p.nodes());
    }
    StringBuilder entry = new StringBuilder(96);
    GoJsonWriter.string(entry, d.id());
    entry.append(':');
    GoJsonWriter.nestedStringMap(entry, byName);
    return new PreparedDevice(d, needs, infos, nodes, entry.toString());
  }

  /** This pool plus {@code extra} devices (kept after they vanished), appended in order. */
  public PreparedPool with(Map<String, PreparedDevice> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Map<String, PreparedDevice> m = new LinkedHashMap<>(devices);
    extra.forEach(m::putIfAbsent);
    return new PreparedPool(spec, m);
  }

  public PoolSpec spec() {
    return spec;
  }

  public Map<String, PreparedDevice> devices() {
    return devices;
  }

  public Optional<PreparedDevice> device(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  /** {@code PCIDEVICE_<PREFIX>_<NAME>}. */
  public String envName() {
    return envName;
  }

  /** {@code PCIDEVICE_<PREFIX>_<NAME>_INFO}. */
  public String infoEnvName() {
    return infoEnvName;
  }
}
