package io.sriov.daemon.observe;

import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.PciAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The node's SR-IOV PFs as observed now, and the discovery they came from. */
public record ObservedNode(List<ObservedPf> pfs, DeviceDiscovery.Result discovery) {
  public ObservedNode {
    pfs = List.copyOf(pfs);
    Objects.requireNonNull(discovery, "discovery");
  }

  public Optional<ObservedPf> pf(PciAddress a) {
    return pfs.stream().filter(p -> p.address().equals(a)).findFirst();
  }

  /**
   * This node with {@code changed} in place of the PFs of the same address (as an apply left them):
   * the PFs and, in {@link #discovery()}, those PFs' devices and their VFs' (the other devices as
   * discovered, the changed PFs' after them).
   */
  public ObservedNode with(List<ObservedPf> changed) {
    Map<PciAddress, ObservedPf> byAddress = new HashMap<>();
    changed.forEach(p -> byAddress.put(p.address(), p));
    List<ObservedPf> out = new ArrayList<>();
    for (ObservedPf p : pfs) {
      out.add(byAddress.getOrDefault(p.address(), p));
    }
    List<Device> devices = new ArrayList<>();
    for (Device d : discovery.devices()) {
      if (!(d instanceof PciNetDevice n && byAddress.containsKey(pfOf(n)))) {
        devices.add(d);
      }
    }
    for (ObservedPf p : changed) {
      devices.add(p.device());
      p.vfs().forEach(v -> devices.add(v.device()));
    }
    return new ObservedNode(out, new DeviceDiscovery.Result(devices, discovery.skipped()));
  }

  /** The PF a network function belongs to: itself, or a VF's PF. */
  private static PciAddress pfOf(PciNetDevice n) {
    return n.role() instanceof SriovRole.VirtualFunction vf ? vf.pf() : n.address();
  }
}
