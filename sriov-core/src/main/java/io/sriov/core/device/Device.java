package io.sriov.core.device;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A device the node can hand to pods: a PCI network function, a PCI accelerator function, or an
 * auxiliary network device (a sub-function). The kind decides which selectors apply.
 */
public sealed interface Device permits PciDevice, AuxNetDevice {

  /** The ID kubelet sees: the PCI address, or the auxiliary device name. */
  String id();

  PciId vendor();

  PciId deviceId();

  Optional<DriverName> driver();

  OptionalInt numaNode();

  /** Name of the PF netdev this device belongs to (VFs and SFs); empty for PFs and plain NICs. */
  Optional<InterfaceName> pfName();

  /** PCI address of the PF this device belongs to; empty for PFs and plain NICs. */
  Optional<PciAddress> pfAddress();

  /** VF index (VFs) or SF index (aux devices); empty otherwise. */
  OptionalInt functionIndex();

  /** The PCI function behind the device (for an aux device: its parent's). */
  PciFunction pci();
}
