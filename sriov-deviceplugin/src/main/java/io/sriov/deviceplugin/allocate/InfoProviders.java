package io.sriov.deviceplugin.allocate;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.device.VdpaDevice;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.sysfs.devnode.DeviceNode;
import io.sriov.sysfs.devnode.DeviceNodeSet;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes, for one device of one pool, the providers upstream's device plugin emits in Allocate:
 * their {@code _INFO} keys and device nodes. Keys follow upstream's code (not its README): {@code
 * generic.deviceID}, {@code vfio.mount}/{@code dev-mount}, {@code uio.mount}, {@code
 * rdma.uverbs/umad/issm/rdma_cm/rdma_dev}, {@code vhost.net-mount}/{@code tun-mount}, {@code
 * vdpa.mount}, {@code extra.*}.
 */
public final class InfoProviders {
  private static final Logger log = LoggerFactory.getLogger(InfoProviders.class);

  private final DeviceNodes nodes;

  /** The device nodes come from sysfs and the dev root of {@code nodes}' {@code SysfsRoot}. */
  public InfoProviders(DeviceNodes nodes) {
    this.nodes = Objects.requireNonNull(nodes, "nodes");
  }

  /**
   * The providers for {@code device} in pool {@code spec}, taken by a selector with {@code needs},
   * in upstream's device-spec order.
   */
  public List<ProviderInfo> forDevice(PoolSpec spec, DeviceNeeds needs, Device device) {
    List<ProviderInfo> out = new ArrayList<>();
    out.add(new ProviderInfo("generic", Map.of("deviceID", device.id()), List.of()));
    String driver = device.pci().driver().map(Object::toString).orElse("");
    if (driver.equals("vfio-pci") && !(device instanceof AuxNetDevice)) {
      out.add(vfio(device));
    }
    if ((driver.equals("uio") || driver.equals("igb_uio")) && !(device instanceof AuxNetDevice)) {
      out.add(uio(device));
    }
    if (needs.rdma()) {
      rdma(device).ifPresent(out::add);
    }
    if (needs.vhostNet()) {
      vhost(device).ifPresent(out::add);
    }
    if (needs.vdpaType().isPresent() && device instanceof PciNetDevice net) {
      net.vdpa().map(this::vdpa).ifPresent(out::add);
    }
    if (spec.additionalInfo().given()) {
      // As upstream: present (possibly {}) whenever the pool has additionalInfo, keyed by the PCI
      // address, which for a sub-function is its parent PF's.
      out.add(
          new ProviderInfo(
              "extra",
              spec.additionalInfo().forDevice(device.pci().address().toString()),
              List.of()));
    }
    return out;
  }

  /**
   * {@code /dev/vfio/vfio} and the group node, handed out whether or not they exist yet (as
   * upstream): {@code mount} is the container node, {@code dev-mount} the group's container path
   * ({@code /dev/vfio/<group>}, also for a no-IOMMU group whose host node is {@code noiommu-N}).
   */
  private ProviderInfo vfio(Device device) {
    List<DeviceNode> expected = nodes.vfio(device.pci()).expected();
    Map<String, String> info = new LinkedHashMap<>();
    info.put("mount", expected.getFirst().containerPath().toString());
    if (expected.size() > 1) {
      info.put("dev-mount", expected.get(1).containerPath().toString());
    }
    return new ProviderInfo("vfio", info, expected);
  }

  /**
   * As upstream: present for a uio-bound device, its first {@code /dev/uioN}; {@code {}} when it
   * has no uio device.
   */
  private ProviderInfo uio(Device device) {
    List<DeviceNode> uio = nodes.uio(device.pci()).expected();
    if (uio.isEmpty()) {
      log.warn("uio driver but no uio device pci={}", device.id());
      return new ProviderInfo("uio", Map.of(), List.of());
    }
    DeviceNode first = uio.getFirst();
    return new ProviderInfo("uio", Map.of("mount", first.hostPath().toString()), List.of(first));
  }

  private Optional<ProviderInfo> rdma(Device device) {
    RdmaInfo rdma = RdmaInfo.NONE;
    if (device instanceof PciNetDevice n) {
      rdma = n.rdma();
    } else if (device instanceof AuxNetDevice a) {
      rdma = a.rdma();
    }
    if (!rdma.capable()) {
      return Optional.empty();
    }
    if (rdma.devices().isEmpty()) {
      // RDMA enabled in devlink, its RDMA device in a pod's netns (exclusive mode): as upstream,
      // the provider with no nodes and no rdma_dev.
      return Optional.of(new ProviderInfo("rdma", Map.of(), List.of()));
    }
    Map<String, String> info = new LinkedHashMap<>();
    // In upstream's order (rdmamap.GetRdmaCharDevices): issm, umad, uverbs, rdma_cm.
    List<DeviceNode> devices = nodes.rdma(device).expected();
    for (DeviceNode n : devices) {
      String path = n.hostPath().toString();
      String base = n.hostPath().getFileName().toString();
      if (base.startsWith("uverbs")) {
        info.put("uverbs", path);
      } else if (base.startsWith("umad")) {
        info.put("umad", path);
      } else if (base.startsWith("issm")) {
        info.put("issm", path);
      } else if (base.equals("rdma_cm")) {
        info.put("rdma_cm", path);
      }
    }
    info.put("rdma_dev", rdma.devices().get(0));
    return Optional.of(new ProviderInfo("rdma", info, devices));
  }

  /**
   * As upstream: present when {@code /dev/vhost-net} exists (both keys always set); its device
   * nodes only when {@code /dev/net/tun} exists too.
   */
  private Optional<ProviderInfo> vhost(Device device) {
    DeviceNodeSet vhost = nodes.vhostNet();
    List<DeviceNode> both = vhost.expected();
    boolean vhostNet = !vhost.missing().contains(both.get(0).hostPath());
    if (!vhost.complete()) {
      log.warn(
          "needVhostNet but vhost-net or tun missing pci={} missing={}",
          device.id(),
          vhost.missing());
    }
    if (!vhostNet) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderInfo(
            "vhost",
            Map.of(
                "net-mount", both.get(0).hostPath().toString(),
                "tun-mount", both.get(1).hostPath().toString()),
            vhost.complete() ? both : List.of()));
  }

  /** {@code /dev/vhost-vdpa-N} of a vhost-vdpa device; an empty provider otherwise. */
  private ProviderInfo vdpa(VdpaDevice vdpa) {
    List<DeviceNode> node = nodes.vdpa(vdpa).expected();
    if (node.isEmpty()) {
      return new ProviderInfo("vdpa", Map.of(), List.of());
    }
    return new ProviderInfo("vdpa", Map.of("mount", node.getFirst().hostPath().toString()), node);
  }
}
