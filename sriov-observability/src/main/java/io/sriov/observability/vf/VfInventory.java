package io.sriov.observability.vf;

import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The node's PFs that have VFs and a netdev in the host namespace, with their VFs: what the per-VF
 * metrics are read for. Built from a discovery result; the number of entries is bounded by the
 * hardware (the VF count), which bounds the per-VF series.
 */
public record VfInventory(List<Pf> pfs) {
  public static final VfInventory EMPTY = new VfInventory(List.of());

  public VfInventory {
    pfs = List.copyOf(pfs);
  }

  /**
   * A PF and its VFs.
   *
   * @param numaNode the PF's {@code numa_node}; empty when the kernel reports -1 (upstream's label
   *     value then)
   * @param driver the PF's driver ({@code igb}, {@code ice}...): which source its VFs' counters
   *     come from ({@link VfTraffic.Source#of})
   */
  public record Pf(
      InterfaceName name, PciAddress address, String numaNode, String driver, List<Vf> vfs) {
    public Pf {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(numaNode, "numaNode");
      Objects.requireNonNull(driver, "driver");
      vfs = List.copyOf(vfs);
    }
  }

  /** A VF: its index on the PF ({@code virtfnN}) and PCI address. */
  public record Vf(int index, PciAddress address) {
    public Vf {
      Objects.requireNonNull(address, "address");
    }
  }

  /** PFs (network functions with a host netdev and at least one VF) in PCI address order. */
  public static VfInventory of(DeviceDiscovery.Result discovery) {
    Map<PciAddress, PciNetDevice> pfs = new LinkedHashMap<>();
    Map<PciAddress, List<Vf>> vfs = new LinkedHashMap<>();
    for (Device d : discovery.devices()) {
      if (!(d instanceof PciNetDevice n)) {
        continue;
      }
      switch (n.role()) {
        case SriovRole.PhysicalFunction pf -> pfs.put(n.pci().address(), n);
        case SriovRole.VirtualFunction vf ->
            vfs.computeIfAbsent(vf.pf(), k -> new ArrayList<>())
                .add(new Vf(vf.index().value(), n.pci().address()));
        case SriovRole.None none -> {}
      }
    }
    List<Pf> out = new ArrayList<>();
    for (PciNetDevice pf : pfs.values()) {
      List<Vf> own = vfs.getOrDefault(pf.pci().address(), List.of());
      if (own.isEmpty() || pf.netdev().isEmpty()) {
        continue;
      }
      own.sort(Comparator.comparingInt(Vf::index));
      NetInterface netdev = pf.netdev().get();
      String numa =
          pf.pci().numaNode().isPresent() ? Integer.toString(pf.pci().numaNode().getAsInt()) : "";
      String driver = pf.driver().map(d -> d.value()).orElse("");
      out.add(new Pf(netdev.name(), pf.pci().address(), numa, driver, own));
    }
    out.sort(Comparator.comparing(p -> p.address().toString()));
    return new VfInventory(out);
  }

  /** Every VF's PCI address, as kubelet's device IDs spell it. */
  public Set<String> vfAddresses() {
    Set<String> s = new HashSet<>();
    pfs.forEach(p -> p.vfs().forEach(v -> s.add(v.address().toString())));
    return s;
  }

  public int vfCount() {
    return pfs.stream().mapToInt(p -> p.vfs().size()).sum();
  }
}
