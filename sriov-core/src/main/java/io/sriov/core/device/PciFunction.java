package io.sriov.core.device;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What sysfs says about one PCI function, whatever its kind.
 *
 * @param classCode the 24-bit class code ({@code 0x020000} for an Ethernet controller)
 * @param driver basename of the {@code driver} link, empty when unbound
 * @param numaNode {@code numa_node}; empty when the kernel reports -1
 * @param acpiIndex {@code acpi_index}, when the firmware provides one
 * @param uioDevices entries of {@code uio/} ({@code uio0}), for devices bound to a uio driver
 */
public record PciFunction(
    PciAddress address,
    PciId vendor,
    PciId device,
    int classCode,
    Optional<PciId> subsystemVendor,
    Optional<PciId> subsystemDevice,
    Optional<DriverName> driver,
    OptionalInt numaNode,
    Optional<IommuGroup> iommuGroup,
    OptionalInt acpiIndex,
    List<String> uioDevices) {

  public static final int CLASS_NETWORK = 0x02;
  public static final int CLASS_ACCELERATOR = 0x12;

  public PciFunction {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(subsystemVendor, "subsystemVendor");
    Objects.requireNonNull(subsystemDevice, "subsystemDevice");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(numaNode, "numaNode");
    Objects.requireNonNull(iommuGroup, "iommuGroup");
    Objects.requireNonNull(acpiIndex, "acpiIndex");
    uioDevices = List.copyOf(uioDevices);
  }

  /** The base class: the top byte of the class code (0x02 network, 0x12 accelerator). */
  public int baseClass() {
    return (classCode >> 16) & 0xff;
  }

  /** This function with {@code driver} bound instead (a bind verified by its driver link). */
  public PciFunction withDriver(Optional<DriverName> driver) {
    return new PciFunction(
        address,
        vendor,
        device,
        classCode,
        subsystemVendor,
        subsystemDevice,
        driver,
        numaNode,
        iommuGroup,
        acpiIndex,
        uioDevices);
  }
}
