package io.sriov.daemon.desired;

import io.sriov.core.value.PciAddress;
import java.util.List;
import java.util.Optional;

/** A validated desired state: the PFs to configure, in spec order. */
public record DesiredNode(List<DesiredPf> pfs) {
  public DesiredNode {
    pfs = List.copyOf(pfs);
  }

  public Optional<DesiredPf> pf(PciAddress a) {
    return pfs.stream().filter(p -> p.pciAddress().equals(a)).findFirst();
  }
}
