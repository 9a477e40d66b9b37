package io.sriov.core.selector;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.VdpaType;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.List;
import java.util.Optional;

/**
 * A selector object of an {@code auxNetDevice} pool; matches {@link AuxNetDevice}s (sub-functions)
 * only. Vendor and device IDs are the parent PCI function's. Filters apply in upstream's order:
 * vendors, devices, drivers, pfNames, rootDevices, linkTypes, isRdma, auxTypes; pfNames and
 * rootDevices ranges are over the SF index.
 */
public record AuxNetDeviceSelector(
    List<PciId> vendors,
    List<PciId> devices,
    List<DriverName> drivers,
    List<NameWithRanges<InterfaceName>> pfNames,
    List<NameWithRanges<PciAddress>> rootDevices,
    List<LinkType> linkTypes,
    List<String> auxTypes,
    boolean isRdma,
    boolean needVhostNet)
    implements DeviceSelector {

  public AuxNetDeviceSelector {
    vendors = List.copyOf(vendors);
    devices = List.copyOf(devices);
    drivers = List.copyOf(drivers);
    pfNames = List.copyOf(pfNames);
    rootDevices = List.copyOf(rootDevices);
    linkTypes = List.copyOf(linkTypes);
    auxTypes = List.copyOf(auxTypes);
  }

  /** A selector that matches every auxiliary network device. */
  public static AuxNetDeviceSelector all() {
    return new AuxNetDeviceSelector(
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false, false);
  }

  @Override
  public boolean matches(Device device) {
    if (!(device instanceof AuxNetDevice d)) {
      return false;
    }
    return Filters.anyOf(vendors, d.vendor())
        && Filters.anyOf(devices, d.deviceId())
        && Filters.anyOf(drivers, d.driver())
        && Filters.pfNames(pfNames, d)
        && Filters.rootDevices(rootDevices, d)
        && Filters.anyOf(linkTypes, d.linkType())
        && (!isRdma || d.rdma().capable())
        && Filters.anyOf(auxTypes, d.auxType());
  }

  @Override
  public Optional<VdpaType> vdpaType() {
    return Optional.empty();
  }
}
