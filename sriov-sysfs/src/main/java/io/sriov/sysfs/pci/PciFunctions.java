package io.sriov.sysfs.pci;

import io.sriov.core.device.PciFunction;
import io.sriov.core.port.DeviceDiscovery.Skipped;
import java.util.List;

/**
 * Every PCI function on the node, whatever its class (the {@code lspci -D -n} view), and the ones
 * that could not be read.
 */
public record PciFunctions(List<PciFunction> functions, List<Skipped> skipped) {
  public PciFunctions {
    functions = List.copyOf(functions);
    skipped = List.copyOf(skipped);
  }
}
