package io.sriov.deviceplugin.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.LinkEvent;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.allocate.PreparedDevice;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.allocate.ProviderInfo;
import io.sriov.deviceplugin.config.PoolPlanner;
import io.sriov.deviceplugin.health.LinkHealth;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.sysfs.devnode.DeviceNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Renders what a kubelet would see, as JSON: per resource its socket, its devices with health, NUMA
 * node, PF, driver, netdev and its altnames, the {@code _INFO} providers and device nodes Allocate
 * would return.
 */
final class DryRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DryRun() {}

  private static Optional<NetInterface> netdev(Device d) {
    return switch (d) {
      case PciNetDevice n -> n.netdev();
      case AuxNetDevice a -> a.netdev();
      default -> Optional.empty();
    };
  }

  /** {@code ip link property add ... altname} names, only when there are any. */
  private static void altNames(ObjectNode o, List<String> names) {
    if (!names.isEmpty()) {
      ArrayNode a = o.putArray("altNames");
      names.forEach(a::add);
    }
  }

  private static String socketOrError(
      KubeletPaths kubelet, RegistrationMode mode, ResourcePool pool) {
    try {
      return kubelet.socketPath(mode, pool.spec()).toString();
    } catch (IllegalArgumentException e) {
      return "none: " + e.getMessage();
    }
  }

  static String render(
      String nodeLabel,
      String config,
      PoolPlanner.Plan plan,
      InfoProviders providers,
      List<LinkEvent> links,
      KubeletPaths kubelet) {
    RegistrationMode mode = kubelet.detectMode();
    LinkHealth health = new LinkHealth();
    health.reset(links);
    ObjectNode root = JSON.createObjectNode();
    root.put("node", nodeLabel);
    root.put("config", config);
    ArrayNode resources = root.putArray("resources");
    for (ResourcePool pool : plan.pools()) {
      PreparedPool prepared = PreparedPool.prepare(pool, providers);
      ObjectNode r = resources.addObject();
      r.put("resourceName", pool.spec().fullName());
      // the path served, which is shortened when upstream's name does not fit sun_path
      r.put("socket", socketOrError(kubelet, mode, pool));
      r.put("deviceType", pool.spec().kind().configName());
      r.put("excludeTopology", pool.spec().excludeTopology());
      r.put("allocationPolicy", pool.spec().policy().configName());
      r.put("env", prepared.envName());
      ArrayNode devices = r.putArray("devices");
      for (PreparedDevice pd : prepared.devices().values()) {
        Device d = pd.device();
        ObjectNode o = devices.addObject();
        o.put("id", d.id());
        o.put("health", health.healthy(d) ? "Healthy" : "Unhealthy");
        if (d.numaNode().isPresent()) {
          o.put("numa", d.numaNode().getAsInt());
        }
        d.pfAddress().ifPresent(p -> o.put("pf", p.toString()));
        d.pfName().ifPresent(n -> o.put("pfName", n.value()));
        d.driver().ifPresent(n -> o.put("driver", n.value()));
        netdev(d)
            .ifPresent(
                n -> {
                  o.put("netdev", n.name().value());
                  altNames(o, n.altNames());
                });
        ObjectNode info = o.putObject("info");
        for (ProviderInfo p : pd.providers()) {
          ObjectNode pi = info.putObject(p.name());
          p.info().forEach(pi::put);
        }
        ArrayNode nodes = o.putArray("deviceSpecs");
        for (DeviceNode n : pd.nodes()) {
          nodes
              .addObject()
              .put("hostPath", n.hostPath().toString())
              .put("containerPath", n.containerPath().toString())
              .put("permissions", n.permissions());
        }
      }
    }
    ArrayNode excluded = root.putArray("excluded");
    for (PoolPlanner.Excluded e : plan.excluded()) {
      ObjectNode x = excluded.addObject().put("id", e.id()).put("netdev", e.netdev());
      altNames(x, e.altNames());
      x.put("reason", e.reason());
    }
    ArrayNode warnings = root.putArray("warnings");
    plan.warnings().forEach(warnings::add);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
