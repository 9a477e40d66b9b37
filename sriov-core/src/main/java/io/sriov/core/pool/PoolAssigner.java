package io.sriov.core.pool;

import io.sriov.core.config.ResourceConfig;
import io.sriov.core.config.ResourceList;
import io.sriov.core.device.Device;
import io.sriov.core.selector.DeviceSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Distributes discovered devices over the configured pools as upstream does: a device goes to the
 * first pool in file order, and within it to the first selector object, that matches it; no device
 * is in two pools. A pool only ever takes devices of its {@code deviceType}'s kind, because its
 * selectors match nothing else.
 *
 * <p>Stateless and pure: the same inputs give the same assignment.
 */
public final class PoolAssigner {

  /** A device and the selector object of its pool that took it. */
  public record Selected(Device device, DeviceSelector selector) {}

  private static List<Selected> sortedById(List<Selected> pool) {
    // Device IDs are computed on each call; compute each once.
    record Keyed(String id, Selected selected) {}
    return pool.stream()
        .map(s -> new Keyed(s.device().id(), s))
        .sorted(Comparator.comparing(Keyed::id))
        .map(Keyed::selected)
        .toList();
  }

  /**
   * The devices of every pool, pools in file order (a pool that selected nothing maps to an empty
   * list), devices sorted by {@link Device#id()}.
   */
  public Map<ResourceConfig, List<Device>> assign(ResourceList config, List<Device> devices) {
    Map<ResourceConfig, List<Device>> out = new LinkedHashMap<>();
    assignWithSelectors(config, devices)
        .forEach((rc, selected) -> out.put(rc, selected.stream().map(Selected::device).toList()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Like {@link #assign} but keeps, for each device, the selector object that took it: its {@code
   * isRdma}, {@code needVhostNet} and {@code vdpaType} decide the device's info providers.
   */
  public Map<ResourceConfig, List<Selected>> assignWithSelectors(
      ResourceList config, List<Device> devices) {
    Set<Device> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<ResourceConfig, List<Selected>> out = new LinkedHashMap<>();
    for (ResourceConfig rc : config.resources()) {
      List<Selected> pool = new ArrayList<>();
      for (DeviceSelector selector : rc.selectors()) {
        for (Device d : devices) {
          if (!taken.contains(d) && selector.matches(d)) {
            taken.add(d);
            pool.add(new Selected(d, selector));
          }
        }
      }
      out.put(rc, sortedById(pool));
    }
    return Collections.unmodifiableMap(out);
  }
}
