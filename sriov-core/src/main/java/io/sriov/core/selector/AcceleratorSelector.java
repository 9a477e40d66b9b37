package io.sriov.core.selector;

import io.sriov.core.device.AcceleratorDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.VdpaType;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.List;
import java.util.Optional;

/**
 * A selector object of an {@code accelerator} pool; matches {@link AcceleratorDevice}s only.
 * Filters apply in upstream's order: vendors, devices, drivers, pciAddresses, acpiIndexes.
 */
public record AcceleratorSelector(
    List<PciId> vendors,
    List<PciId> devices,
    List<DriverName> drivers,
    List<PciAddress> pciAddresses,
    List<Integer> acpiIndexes)
    implements DeviceSelector {

  public AcceleratorSelector {
    vendors = List.copyOf(vendors);
    devices = List.copyOf(devices);
    drivers = List.copyOf(drivers);
    pciAddresses = List.copyOf(pciAddresses);
    acpiIndexes = List.copyOf(acpiIndexes);
  }

  /** A selector that matches every accelerator. */
  public static AcceleratorSelector all() {
    return new AcceleratorSelector(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  @Override
  public boolean matches(Device device) {
    if (!(device instanceof AcceleratorDevice d)) {
      return false;
    }
    return Filters.anyOf(vendors, d.vendor())
        && Filters.anyOf(devices, d.deviceId())
        && Filters.anyOf(drivers, d.driver())
        && Filters.anyOf(pciAddresses, d.pci().address())
        && Filters.anyOf(acpiIndexes, d.pci().acpiIndex());
  }

  @Override
  public boolean isRdma() {
    return false;
  }

  @Override
  public boolean needVhostNet() {
    return false;
  }

  @Override
  public Optional<VdpaType> vdpaType() {
    return Optional.empty();
  }
}
