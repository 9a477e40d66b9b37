package io.sriov.deviceplugin.config;

import io.sriov.core.config.ConfigException;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.config.ResourceConfigParser;
import io.sriov.core.config.ResourceList;
import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.pool.PoolAssigner;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.DeviceSelector;
import io.sriov.deviceplugin.pool.AllocationPolicy;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The real planner: sriov-core's parser and pool assigner over a {@link DeviceDiscovery}. As
 * upstream, a PF that has VFs is never handed out itself, and an empty resource list is an error.
 */
public final class ConfigPoolPlanner implements PoolPlanner {
  private final String source;
  private final ResourcePrefix defaultPrefix;
  private final DeviceDiscovery discovery;
  private final ResourceConfigParser parser = new ResourceConfigParser();
  private final PoolAssigner assigner = new PoolAssigner();

  /**
   * @param source the config's name for messages (the file path)
   */
  public ConfigPoolPlanner(String source, ResourcePrefix defaultPrefix, DeviceDiscovery discovery) {
    this.source = Objects.requireNonNull(source, "source");
    this.defaultPrefix = Objects.requireNonNull(defaultPrefix, "defaultPrefix");
    this.discovery = Objects.requireNonNull(discovery, "discovery");
  }

  @Override
  public Plan plan(String text) {
    ResourceList config;
    try {
      config = parser.parse(text, source, defaultPrefix);
    } catch (ConfigException e) {
      throw new PlanException(source + ": " + e.getMessage(), e);
    }
    if (config.isEmpty()) {
      throw new PlanException(source + ": no resource configuration (resourceList is empty)");
    }
    Map<String, AllocationPolicy> policies;
    try {
      policies = AllocationPolicies.read(text, defaultPrefix.value());
    } catch (PlanException e) {
      throw new PlanException(source + ": " + e.getMessage(), e);
    }
    List<String> warnings = new ArrayList<>();
    for (String w : config.warnings()) {
      if (!w.endsWith("." + AllocationPolicies.KEY + ": unknown key, ignored")) {
        warnings.add(w);
      }
    }
    DeviceDiscovery.Result found = discovery.discoverAll();
    found.skipped().forEach(s -> warnings.add("device " + s.id() + " skipped: " + s.reason()));
    Set<String> discovered = new HashSet<>();
    List<Device> candidates = new ArrayList<>();
    for (Device d : found.devices()) {
      discovered.add(d.id());
      if (!isPfWithVfs(d)) {
        candidates.add(d);
      }
    }
    List<ResourcePool> pools = new ArrayList<>();
    assigner
        .assignWithSelectors(config, candidates)
        .forEach(
            (rc, selected) -> {
              PoolSpec spec = spec(rc, policies);
              List<Device> devices = new ArrayList<>();
              Map<String, DeviceNeeds> needs = new LinkedHashMap<>();
              for (PoolAssigner.Selected s : selected) {
                devices.add(s.device());
                needs.put(s.device().id(), needs(s.selector()));
              }
              pools.add(new ResourcePool(spec, devices, needs));
            });
    return new Plan(pools, discovered, warnings);
  }

  private static boolean isPfWithVfs(Device d) {
    return d instanceof PciNetDevice n
        && n.role() instanceof SriovRole.PhysicalFunction pf
        && pf.numVfs() > 0;
  }

  private static DeviceNeeds needs(DeviceSelector s) {
    return new DeviceNeeds(s.isRdma(), s.needVhostNet(), s.vdpaType());
  }

  private static PoolSpec spec(ResourceConfig rc, Map<String, AllocationPolicy> policies) {
    DeviceKind kind =
        switch (rc.deviceType()) {
          case NET_DEVICE -> DeviceKind.NET_DEVICE;
          case ACCELERATOR -> DeviceKind.ACCELERATOR;
          case AUX_NET_DEVICE -> DeviceKind.AUX_NET_DEVICE;
        };
    return new PoolSpec(
        rc.prefix().value(),
        rc.name().value(),
        kind,
        rc.excludeTopology(),
        rc.additionalInfo().entries(),
        policies.getOrDefault(rc.fullName(), AllocationPolicy.DEFAULT));
  }
}
