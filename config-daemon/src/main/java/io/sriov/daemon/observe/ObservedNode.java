package io.sriov.daemon.observe;

import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.PciAddress;
import java.util.List;
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
}
