package io.sriov.core.config;

import io.sriov.core.resource.EnvNames;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.AcceleratorSelector;
import io.sriov.core.selector.AuxNetDeviceSelector;
import io.sriov.core.selector.DeviceSelector;
import io.sriov.core.selector.NetDeviceSelector;
import java.util.List;
import java.util.Objects;

/**
 * One resource pool of the device plugin ({@code resourceList[i]} of {@code config.json}).
 *
 * @param prefix the entry's {@code resourcePrefix}, or the default prefix when it had none
 * @param excludeTopology do not report the devices' NUMA node to kubelet
 * @param selectors the selector objects in file order (at least one); a device goes to the first
 *     that matches
 * @param allocationPolicy how preferred allocation picks among the pool's devices (ours; {@link
 *     AllocationPolicy#DEFAULT} when the entry has none)
 * @param carrierHealth whether devices turn Unhealthy while the netdev they depend on (a VF's or
 *     SF's PF, a PF's own) has no carrier (ours; {@code true} when the entry has none)
 */
public record ResourceConfig(
    ResourceName name,
    ResourcePrefix prefix,
    DeviceType deviceType,
    boolean excludeTopology,
    List<DeviceSelector> selectors,
    AdditionalInfo additionalInfo,
    AllocationPolicy allocationPolicy,
    boolean carrierHealth) {

  /** A pool with carrier health on, the default of an entry without {@code carrierHealth}. */
  public ResourceConfig(
      ResourceName name,
      ResourcePrefix prefix,
      DeviceType deviceType,
      boolean excludeTopology,
      List<DeviceSelector> selectors,
      AdditionalInfo additionalInfo,
      AllocationPolicy allocationPolicy) {
    this(
        name,
        prefix,
        deviceType,
        excludeTopology,
        selectors,
        additionalInfo,
        allocationPolicy,
        true);
  }

  public ResourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(deviceType, "deviceType");
    selectors = List.copyOf(selectors);
    if (selectors.isEmpty()) {
      throw new IllegalArgumentException("a resource pool needs at least one selector");
    }
    Objects.requireNonNull(additionalInfo, "additionalInfo");
    Objects.requireNonNull(allocationPolicy, "allocationPolicy");
    for (DeviceSelector s : selectors) {
      boolean fits =
          switch (deviceType) {
            case NET_DEVICE -> s instanceof NetDeviceSelector;
            case ACCELERATOR -> s instanceof AcceleratorSelector;
            case AUX_NET_DEVICE -> s instanceof AuxNetDeviceSelector;
          };
      if (!fits) {
        throw new IllegalArgumentException(
            "selector " + s.getClass().getSimpleName() + " does not fit deviceType " + deviceType);
      }
    }
  }

  /** The extended resource name kubelet and pods use: {@code prefix/name}. */
  public String fullName() {
    return prefix.value() + "/" + name.value();
  }

  /** The device-plugin socket file name: {@code <prefix>_<name>.sock}. */
  public String socketName() {
    return prefix.value() + "_" + name.value() + ".sock";
  }

  /** The container environment variable names for this pool. */
  public EnvNames envNames() {
    return EnvNames.of(prefix, name);
  }
}
