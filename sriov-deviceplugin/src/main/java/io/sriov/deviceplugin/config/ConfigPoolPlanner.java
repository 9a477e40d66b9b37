package io.sriov.deviceplugin.config;

import io.sriov.core.config.ResourceConfig;
import io.sriov.core.config.ResourceList;
import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.pool.PoolAssigner;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.selector.DeviceSelector;
import io.sriov.deviceplugin.cdi.CdiSpecs;
import io.sriov.deviceplugin.config.PoolPlanner.Excluded;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.node.DefaultRouteLinks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real planner: sriov-core's pool assigner over a {@link DeviceDiscovery}. As upstream, a PF
 * that has VFs is never handed out itself, nor a PCI network device (PF, VF or plain NIC) whose own
 * netdev carries the IPv4 default route; an empty resource list is an error.
 */
public final class ConfigPoolPlanner implements PoolPlanner {
  private static final Logger log = LoggerFactory.getLogger(ConfigPoolPlanner.class);
  static final String DEFAULT_ROUTE = "carries the IPv4 default route";

  private final DeviceDiscovery discovery;
  private final DefaultRouteLinks defaultRoutes;
  private final AtomicReference<List<Excluded>> lastExcluded = new AtomicReference<>(List.of());
  private final PoolAssigner assigner = new PoolAssigner();

  /**
   * @param defaultRoutes asked once per plan, after discovery
   */
  public ConfigPoolPlanner(DeviceDiscovery discovery, DefaultRouteLinks defaultRoutes) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.defaultRoutes = Objects.requireNonNull(defaultRoutes, "defaultRoutes");
  }

  @Override
  public Plan plan(DevicePluginConfig config) {
    ResourceList resources = config.resources();
    if (resources.isEmpty()) {
      throw new PlanException(
          config.source() + ": no resource configuration (resourceList is empty)");
    }
    checkFileNames(config.source(), resources);
    List<String> warnings = new ArrayList<>(resources.warnings());
    DeviceDiscovery.Result found = discovery.discoverAll();
    found.skipped().forEach(s -> warnings.add("device " + s.id() + " skipped: " + s.reason()));
    Set<String> uplinks;
    try {
      uplinks = defaultRoutes.names();
    } catch (DefaultRouteLinks.LookupException e) {
      throw new PlanException(e.getMessage(), e);
    }
    Set<String> discovered = new HashSet<>();
    List<Device> candidates = new ArrayList<>();
    List<Excluded> excluded = new ArrayList<>();
    for (Device d : found.devices()) {
      discovered.add(d.id());
      Optional<NetInterface> uplink = uplink(d, uplinks);
      if (uplink.isPresent()) {
        excluded.add(
            new Excluded(
                d.id(), uplink.get().name().value(), uplink.get().altNames(), DEFAULT_ROUTE));
      } else if (!isPfWithVfs(d)) {
        candidates.add(d);
      }
    }
    logExclusions(excluded);
    List<ResourcePool> pools = new ArrayList<>();
    assigner
        .assignWithSelectors(resources, candidates)
        .forEach(
            (rc, selected) -> {
              PoolSpec spec = spec(rc);
              List<Device> devices = new ArrayList<>();
              Map<String, DeviceNeeds> needs = new LinkedHashMap<>();
              for (PoolAssigner.Selected s : selected) {
                devices.add(s.device());
                needs.put(s.device().id(), needs(s.selector()));
              }
              pools.add(new ResourcePool(spec, devices, needs));
            });
    return new Plan(pools, discovered, warnings, excluded);
  }

  /**
   * Two resources must not share a file name: the device-info file names are fixed by the
   * device-info spec ({@code <prefix>-<name>-<device>-device.json}, the CNI derives them), and the
   * CDI spec names are upstream's ({@code sriov-dp-<prefix>-<kind>-<name>.yaml}), so {@code
   * intel.com/a-b} and {@code intel.com-a/b} would overwrite and retire each other's files. Such a
   * config is refused, which keeps both namings injective over every config served.
   */
  private static void checkFileNames(String source, ResourceList config) {
    Map<String, Integer> devinfo = new HashMap<>();
    Map<String, Integer> cdi = new HashMap<>();
    List<ResourceConfig> all = config.resources();
    for (int i = 0; i < all.size(); i++) {
      PoolSpec spec = spec(all.get(i));
      if (spec.kind() == DeviceKind.NET_DEVICE) {
        String prefix = DeviceInfoFiles.filePrefix(spec);
        Integer j = devinfo.putIfAbsent(prefix, i);
        if (j != null) {
          throw collision(
              source,
              i,
              spec,
              j,
              all.get(j),
              "device-info files " + prefix + "<device>-device.json");
        }
      }
      String cdiName = CdiSpecs.fileName(spec);
      Integer j = cdi.putIfAbsent(cdiName, i);
      if (j != null) {
        throw collision(source, i, spec, j, all.get(j), "CDI spec file " + cdiName);
      }
    }
  }

  private static PlanException collision(
      String source, int i, PoolSpec spec, int j, ResourceConfig other, String what) {
    return new PlanException(
        source
            + ": resourceList["
            + i
            + "].resourceName: "
            + spec.fullName()
            + " and "
            + other.fullName()
            + " (resourceList["
            + j
            + "]) would share the "
            + what
            + "; rename one");
  }

  /** Upstream checks each device's own netdev: the VFs of an uplink PF stay available. */
  private static Optional<NetInterface> uplink(Device d, Set<String> uplinks) {
    if (uplinks.isEmpty() || !(d instanceof PciNetDevice n)) {
      return Optional.empty();
    }
    return n.netdev().filter(i -> uplinks.contains(i.name().value()));
  }

  /** Info when the set changes (a rescan every 30 s must not repeat it), debug otherwise. */
  private void logExclusions(List<Excluded> excluded) {
    boolean changed = !lastExcluded.getAndSet(List.copyOf(excluded)).equals(excluded);
    for (Excluded e : excluded) {
      if (changed) {
        log.info("excluded pci={} netdev={} reason=\"{}\"", e.id(), e.netdev(), e.reason());
      } else {
        log.debug("excluded pci={} netdev={} reason=\"{}\"", e.id(), e.netdev(), e.reason());
      }
    }
  }

  private static boolean isPfWithVfs(Device d) {
    return d instanceof PciNetDevice n
        && n.role() instanceof SriovRole.PhysicalFunction pf
        && pf.numVfs() > 0;
  }

  private static DeviceNeeds needs(DeviceSelector s) {
    return new DeviceNeeds(s.isRdma(), s.needVhostNet(), s.vdpaType());
  }

  private static PoolSpec spec(ResourceConfig rc) {
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
        rc.additionalInfo(),
        rc.allocationPolicy(),
        rc.carrierHealth());
  }
}
