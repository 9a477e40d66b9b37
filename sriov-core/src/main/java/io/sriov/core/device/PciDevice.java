package io.sriov.core.device;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.Optional;
import java.util.OptionalInt;

/** A device that is itself a PCI function: its identity comes from {@link #pci()}. */
public sealed interface PciDevice extends Device permits PciNetDevice, AcceleratorDevice {

  /** Where the function stands in SR-IOV (PF, VF, or neither). */
  SriovRole role();

  default PciAddress address() {
    return pci().address();
  }

  default boolean isVf() {
    return role() instanceof SriovRole.VirtualFunction;
  }

  default boolean isPf() {
    return role() instanceof SriovRole.PhysicalFunction;
  }

  @Override
  default String id() {
    return pci().address().toString();
  }

  @Override
  default PciId vendor() {
    return pci().vendor();
  }

  @Override
  default PciId deviceId() {
    return pci().device();
  }

  @Override
  default Optional<DriverName> driver() {
    return pci().driver();
  }

  @Override
  default OptionalInt numaNode() {
    return pci().numaNode();
  }

  @Override
  default Optional<PciAddress> pfAddress() {
    return role() instanceof SriovRole.VirtualFunction vf ? Optional.of(vf.pf()) : Optional.empty();
  }

  @Override
  default OptionalInt functionIndex() {
    return role() instanceof SriovRole.VirtualFunction vf
        ? OptionalInt.of(vf.index().value())
        : OptionalInt.empty();
  }
}
