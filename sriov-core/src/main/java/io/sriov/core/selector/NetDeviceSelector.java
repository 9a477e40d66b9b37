package io.sriov.core.selector;

import io.sriov.core.device.Device;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A selector object of a {@code netDevice} pool; matches {@link PciNetDevice}s only. Filters apply
 * in upstream's order: vendors, devices, drivers, pciAddresses, acpiIndexes, pfNames, rootDevices,
 * linkTypes, ddpProfiles, pKeys, isRdma, vdpaType.
 */
public record NetDeviceSelector(
    List<PciId> vendors,
    List<PciId> devices,
    List<DriverName> drivers,
    List<PciAddress> pciAddresses,
    List<Integer> acpiIndexes,
    List<NameWithRanges<InterfaceName>> pfNames,
    List<NameWithRanges<PciAddress>> rootDevices,
    List<LinkType> linkTypes,
    List<String> ddpProfiles,
    List<PartitionKey> pKeys,
    boolean isRdma,
    boolean needVhostNet,
    Optional<VdpaType> vdpaType)
    implements DeviceSelector {

  public NetDeviceSelector {
    vendors = List.copyOf(vendors);
    devices = List.copyOf(devices);
    drivers = List.copyOf(drivers);
    pciAddresses = List.copyOf(pciAddresses);
    acpiIndexes = List.copyOf(acpiIndexes);
    pfNames = List.copyOf(pfNames);
    rootDevices = List.copyOf(rootDevices);
    linkTypes = List.copyOf(linkTypes);
    ddpProfiles = List.copyOf(ddpProfiles);
    pKeys = List.copyOf(pKeys);
    Objects.requireNonNull(vdpaType, "vdpaType");
    if (isRdma && vdpaType.isPresent()) {
      throw new IllegalArgumentException("isRdma and vdpaType cannot be used together");
    }
  }

  /** A selector that matches every PCI network device. */
  public static NetDeviceSelector all() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean matches(Device device) {
    if (!(device instanceof PciNetDevice d)) {
      return false;
    }
    return Filters.anyOf(vendors, d.vendor())
        && Filters.anyOf(devices, d.deviceId())
        && Filters.anyOf(drivers, d.driver())
        && Filters.anyOf(pciAddresses, d.address())
        && Filters.anyOf(acpiIndexes, d.pci().acpiIndex())
        && Filters.pfNames(pfNames, d)
        && Filters.rootDevices(rootDevices, d)
        && Filters.anyOf(linkTypes, d.linkType())
        && Filters.anyOf(ddpProfiles, d.ddpProfile())
        && pKeyMatches(d)
        && (!isRdma || d.rdma().capable())
        && vdpaMatches(d);
  }

  private boolean pKeyMatches(PciNetDevice d) {
    if (pKeys.isEmpty()) {
      return true;
    }
    if (d.pKey().isEmpty()) {
      return false;
    }
    try {
      return pKeys.contains(PartitionKey.parse(d.pKey().get().strip()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private boolean vdpaMatches(PciNetDevice d) {
    return vdpaType.isEmpty() || d.vdpa().map(VdpaDevice::type).equals(vdpaType);
  }

  /** Builds a selector; every list starts empty (no filtering). */
  public static final class Builder {
    private final List<PciId> vendors = new ArrayList<>();
    private final List<PciId> devices = new ArrayList<>();
    private final List<DriverName> drivers = new ArrayList<>();
    private final List<PciAddress> pciAddresses = new ArrayList<>();
    private final List<Integer> acpiIndexes = new ArrayList<>();
    private final List<NameWithRanges<InterfaceName>> pfNames = new ArrayList<>();
    private final List<NameWithRanges<PciAddress>> rootDevices = new ArrayList<>();
    private final List<LinkType> linkTypes = new ArrayList<>();
    private final List<String> ddpProfiles = new ArrayList<>();
    private final List<PartitionKey> pKeys = new ArrayList<>();
    private boolean isRdma;
    private boolean needVhostNet;
    private Optional<VdpaType> vdpaType = Optional.empty();

    private Builder() {}

    public Builder vendors(List<PciId> v) {
      vendors.addAll(v);
      return this;
    }

    public Builder devices(List<PciId> v) {
      devices.addAll(v);
      return this;
    }

    public Builder drivers(List<DriverName> v) {
      drivers.addAll(v);
      return this;
    }

    public Builder pciAddresses(List<PciAddress> v) {
      pciAddresses.addAll(v);
      return this;
    }

    public Builder acpiIndexes(List<Integer> v) {
      acpiIndexes.addAll(v);
      return this;
    }

    public Builder pfNames(List<NameWithRanges<InterfaceName>> v) {
      pfNames.addAll(v);
      return this;
    }

    public Builder rootDevices(List<NameWithRanges<PciAddress>> v) {
      rootDevices.addAll(v);
      return this;
    }

    public Builder linkTypes(List<LinkType> v) {
      linkTypes.addAll(v);
      return this;
    }

    public Builder ddpProfiles(List<String> v) {
      ddpProfiles.addAll(v);
      return this;
    }

    public Builder pKeys(List<PartitionKey> v) {
      pKeys.addAll(v);
      return this;
    }

    public Builder isRdma(boolean v) {
      isRdma = v;
      return this;
    }

    public Builder needVhostNet(boolean v) {
      needVhostNet = v;
      return this;
    }

    public Builder vdpaType(VdpaType v) {
      vdpaType = Optional.ofNullable(v);
      return this;
    }

    public NetDeviceSelector build() {
      return new NetDeviceSelector(
          vendors,
          devices,
          drivers,
          pciAddresses,
          acpiIndexes,
          pfNames,
          rootDevices,
          linkTypes,
          ddpProfiles,
          pKeys,
          isRdma,
          needVhostNet,
          vdpaType);
    }
  }
}
