package io.sriov.core.device;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** A PCI processing accelerator (class 0x12), e.g. an Intel QAT or a FEC/vRAN VF. */
public record AcceleratorDevice(PciFunction pci, SriovRole role) implements Device {

  public AcceleratorDevice {
    Objects.requireNonNull(pci, "pci");
    Objects.requireNonNull(role, "role");
  }

  @Override
  public String id() {
    return pci.address().toString();
  }

  @Override
  public PciId vendor() {
    return pci.vendor();
  }

  @Override
  public PciId deviceId() {
    return pci.device();
  }

  @Override
  public Optional<DriverName> driver() {
    return pci.driver();
  }

  @Override
  public OptionalInt numaNode() {
    return pci.numaNode();
  }

  @Override
  public Optional<InterfaceName> pfName() {
    return Optional.empty();
  }

  @Override
  public Optional<PciAddress> pfAddress() {
    return role instanceof SriovRole.VirtualFunction vf ? Optional.of(vf.pf()) : Optional.empty();
  }

  @Override
  public OptionalInt functionIndex() {
    return role instanceof SriovRole.VirtualFunction vf
        ? OptionalInt.of(vf.index().value())
        : OptionalInt.empty();
  }
}
