package io.sriov.core.device;

import io.sriov.core.value.InterfaceName;
import java.util.Objects;
import java.util.Optional;

/** A PCI processing accelerator (class 0x12), e.g. an Intel QAT or a FEC/vRAN VF. */
public record AcceleratorDevice(PciFunction pci, SriovRole role) implements PciDevice {

  public AcceleratorDevice {
    Objects.requireNonNull(pci, "pci");
    Objects.requireNonNull(role, "role");
  }

  @Override
  public Optional<InterfaceName> pfName() {
    return Optional.empty();
  }
}
