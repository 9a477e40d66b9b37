package io.sriov.deviceplugin.allocate;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.IommuGroup;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import java.util.ArrayList;
import java.util.Comparator;
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

  static final String VFIO_CONTROL = "/dev/vfio/vfio";
  static final String VHOST_NET = "/dev/vhost-net";
  static final String TUN = "/dev/net/tun";

  private static final List<String> RDMA_ORDER =
      List.of("ucm", "issm", "umad", "uverbs", "rdma_cm");

  private final DeviceNodeLookup lookup;

  public InfoProviders(DeviceNodeLookup lookup) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
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
      out.add(vfio(device.pci().iommuGroup()));
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
      net.vdpa().map(InfoProviders::vdpa).ifPresent(out::add);
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

  private static ProviderInfo vfio(Optional<IommuGroup> group) {
    Map<String, String> info = new LinkedHashMap<>();
    List<DeviceNode> nodes = new ArrayList<>();
    info.put("mount", VFIO_CONTROL);
    nodes.add(DeviceNode.rw(VFIO_CONTROL));
    group.ifPresent(
        g -> {
          String container = "/dev/vfio/" + g.number();
          String host = g.noIommu() ? "/dev/vfio/noiommu-" + g.number() : container;
          info.put("dev-mount", container);
          nodes.add(new DeviceNode(host, container, "rw"));
        });
    return new ProviderInfo("vfio", info, nodes);
  }

  /** As upstream: present for a uio-bound device, {@code {}} when it has no uio device. */
  private static ProviderInfo uio(Device device) {
    List<String> uio = device.pci().uioDevices();
    if (uio.isEmpty()) {
      log.warn("uio driver but no uio device pci={}", device.id());
      return new ProviderInfo("uio", Map.of(), List.of());
    }
    String path = "/dev/" + uio.get(0);
    return new ProviderInfo("uio", Map.of("mount", path), List.of(DeviceNode.rw(path)));
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
    String rdmaDev = rdma.devices().get(0);
    Map<String, String> info = new LinkedHashMap<>();
    List<DeviceNode> nodes = new ArrayList<>();
    List<String> paths = new ArrayList<>(lookup.rdmaCharDevices(device));
    // Upstream's order (rdmamap.GetRdmaCharDevices): ucm, issm, umad, uverbs, rdma_cm.
    paths.sort(Comparator.comparingInt(InfoProviders::rdmaRank));
    for (String path : paths) {
      nodes.add(DeviceNode.rw(path));
      String base = path.substring(path.lastIndexOf('/') + 1);
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
    info.put("rdma_dev", rdmaDev);
    return Optional.of(new ProviderInfo("rdma", info, nodes));
  }

  private static int rdmaRank(String path) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    for (int i = 0; i < RDMA_ORDER.size(); i++) {
      if (base.startsWith(RDMA_ORDER.get(i))) {
        return i;
      }
    }
    return RDMA_ORDER.size();
  }

  /**
   * As upstream: present when {@code /dev/vhost-net} exists (both keys always set); its device
   * nodes only when {@code /dev/net/tun} exists too.
   */
  private Optional<ProviderInfo> vhost(Device device) {
    boolean vhostNet = lookup.exists(VHOST_NET);
    boolean tun = lookup.exists(TUN);
    if (!vhostNet || !tun) {
      log.warn(
          "needVhostNet but vhost-net or tun missing pci={} vhostNet={} tun={}",
          device.id(),
          vhostNet,
          tun);
    }
    if (!vhostNet) {
      return Optional.empty();
    }
    return Optional.of(
        new ProviderInfo(
            "vhost",
            Map.of("net-mount", VHOST_NET, "tun-mount", TUN),
            tun ? List.of(DeviceNode.rw(VHOST_NET), DeviceNode.rw(TUN)) : List.of()));
  }

  private static ProviderInfo vdpa(VdpaDevice vdpa) {
    if (vdpa.type() == VdpaType.VHOST && vdpa.vhostDevice().isPresent()) {
      String path = "/dev/" + vdpa.vhostDevice().get();
      return new ProviderInfo("vdpa", Map.of("mount", path), List.of(DeviceNode.rw(path)));
    }
    return new ProviderInfo("vdpa", Map.of(), List.of());
  }
}
