package io.sriov.sysfs.devnode;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.IommuGroup;
import io.sriov.core.device.PciFunction;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The device nodes of a device, each checked against the dev root:
 *
 * <ul>
 *   <li>vfio: {@code /dev/vfio/vfio} and {@code /dev/vfio/<group>}; for a vfio no-IOMMU group the
 *       host node {@code /dev/vfio/noiommu-<group>} appears in the container as {@code
 *       /dev/vfio/<group>};
 *   <li>uio: {@code /dev/uioN} for each {@code uio/uioN} of the function;
 *   <li>RDMA: {@code /dev/infiniband/uverbsN}, {@code umadN}, {@code issmN} found through the
 *       function's {@code infiniband_verbs/} and {@code infiniband_mad/}, and {@code rdma_cm} when
 *       it exists (optional: the RDMA connection manager needs {@code rdma_ucm}, verbs do not);
 *   <li>vhost-net: {@code /dev/vhost-net} and {@code /dev/net/tun};
 *   <li>vDPA: {@code /dev/vhost-vdpa-N} of a vhost-vdpa device.
 * </ul>
 */
public final class DeviceNodes {
  private static final String RW = "rw";

  /**
   * Upstream's order of a function's RDMA character devices (rdmamap.GetRdmaCharDevices: ucm, issm,
   * umad, uverbs, then rdma_cm; a function has no ucm node of its own on current kernels).
   */
  private static final List<String> RDMA_ORDER = List.of("issm", "umad", "uverbs");

  private final SysfsRoot root;

  public DeviceNodes(SysfsRoot root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /** vfio nodes of a function bound to vfio-pci; empty (not missing) when it is not. */
  public DeviceNodeSet vfio(PciFunction f) {
    if (!f.driver().map(DriverName.VFIO_PCI::equals).orElse(false)) {
      return DeviceNodeSet.EMPTY;
    }
    Builder b = new Builder();
    b.node(root.devVfioContainer());
    if (f.iommuGroup().isEmpty()) {
      b.missingPath(root.dev().resolve("vfio/<no iommu_group for " + f.address() + ">"));
      return b.build();
    }
    IommuGroup g = f.iommuGroup().get();
    if (g.noIommu()) {
      b.node(root.devVfioNoIommuGroup(g.number()), Path.of("/dev/vfio/" + g.number()));
    } else {
      b.node(root.devVfioGroup(g.number()));
    }
    return b.build();
  }

  /** {@code /dev/uioN} of each {@code uio/uioN} entry of the function. */
  public DeviceNodeSet uio(PciFunction f) {
    Builder b = new Builder();
    for (String uio : f.uioDevices()) {
      b.node(root.devUio(uio));
    }
    return b.build();
  }

  /**
   * RDMA character devices of a function (or of an auxiliary device directory): {@code uverbsN}
   * from {@code infiniband_verbs/}, {@code umadN} and {@code issmN} from {@code infiniband_mad/},
   * plus {@code rdma_cm} when it exists, in upstream's order ({@code ucm}, {@code issm}, {@code
   * umad}, {@code uverbs}, {@code rdma_cm}). Empty when the function has no RDMA device (neither an
   * {@code infiniband/} entry nor such character devices).
   */
  public DeviceNodeSet rdma(PciAddress a) {
    return rdmaOf(root.pciDevice(a));
  }

  /** RDMA character devices of a device: its PCI function's, or an SF's aux directory's. */
  public DeviceNodeSet rdma(Device d) {
    return d instanceof AuxNetDevice aux
        ? rdmaOf(root.auxDevice(aux.name()))
        : rdma(d.pci().address());
  }

  /** RDMA character devices under any device directory (e.g. an SF's aux directory). */
  public DeviceNodeSet rdmaOf(Path deviceDir) {
    try {
      List<String> names = new ArrayList<>();
      for (String sub : List.of("infiniband_verbs", "infiniband_mad")) {
        for (String n : SysfsFiles.list(deviceDir.resolve(sub))) {
          if (rdmaRank(n) < RDMA_ORDER.size()) {
            names.add(n);
          }
        }
      }
      names.sort(Comparator.comparingInt(DeviceNodes::rdmaRank).thenComparing(n -> n));
      Builder b = new Builder();
      for (String n : names) {
        b.node(root.devInfiniband(n));
      }
      if (b.isEmpty() && SysfsFiles.list(deviceDir.resolve("infiniband")).isEmpty()) {
        return DeviceNodeSet.EMPTY;
      }
      b.optionalNode(root.devInfiniband("rdma_cm"));
      return b.build();
    } catch (IOException e) {
      throw new UncheckedIOException("reading RDMA devices of " + root.display(deviceDir), e);
    }
  }

  /** {@code /dev/vhost-net} and {@code /dev/net/tun} (the upstream {@code needVhostNet} option). */
  public DeviceNodeSet vhostNet() {
    Builder b = new Builder();
    b.node(root.devVhostNet());
    b.node(root.devNetTun());
    return b.build();
  }

  /** {@code /dev/vhost-vdpa-N} of a vDPA device bound to vhost_vdpa; empty for virtio_vdpa. */
  public DeviceNodeSet vdpa(VdpaDevice d) {
    if (d.type() != VdpaType.VHOST) {
      return DeviceNodeSet.EMPTY;
    }
    Builder b = new Builder();
    if (d.vhostDevice().isEmpty()) {
      b.missingPath(root.dev().resolve("<vhost-vdpa node of " + d.name() + ">"));
    } else {
      b.node(root.devVhostVdpa(d.vhostDevice().get()));
    }
    return b.build();
  }

  private static int rdmaRank(String name) {
    for (int i = 0; i < RDMA_ORDER.size(); i++) {
      if (name.startsWith(RDMA_ORDER.get(i))) {
        return i;
      }
    }
    return RDMA_ORDER.size();
  }

  @Override
  public String toString() {
    return "DeviceNodes[" + root + "]";
  }

  private final class Builder {
    private final List<DeviceNode> nodes = new ArrayList<>();
    private final List<Path> missing = new ArrayList<>();

    void node(Path host) {
      node(host, root.containerDevPath(host));
    }

    void node(Path host, Path container) {
      Path shown = Path.of(root.display(host));
      nodes.add(new DeviceNode(shown, container, RW));
      if (!Files.exists(host)) {
        missing.add(shown);
      }
    }

    /** A node that is listed only when it exists, and never missing. */
    void optionalNode(Path host) {
      if (Files.exists(host)) {
        node(host);
      }
    }

    boolean isEmpty() {
      return nodes.isEmpty();
    }

    void missingPath(Path p) {
      missing.add(Path.of(root.display(p)));
    }

    DeviceNodeSet build() {
      return new DeviceNodeSet(nodes, missing);
    }
  }
}
