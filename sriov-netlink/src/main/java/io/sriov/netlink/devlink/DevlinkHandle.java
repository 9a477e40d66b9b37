package io.sriov.netlink.devlink;

import io.sriov.core.value.PciAddress;
import java.util.Objects;

/**
 * A devlink device: bus name and device name ({@code pci/0000:af:00.0}).
 *
 * @param bus DEVLINK_ATTR_BUS_NAME, e.g. {@code pci}
 * @param device DEVLINK_ATTR_DEV_NAME, e.g. {@code 0000:af:00.0}
 */
public record DevlinkHandle(String bus, String device) {
  public DevlinkHandle {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(device, "device");
    if (bus.isEmpty() || device.isEmpty() || bus.contains("/")) {
      throw new IllegalArgumentException("devlink handle \"" + bus + "/" + device + "\": invalid");
    }
  }

  public static DevlinkHandle pci(PciAddress pf) {
    return new DevlinkHandle("pci", pf.toString());
  }

  @Override
  public String toString() {
    return bus + "/" + device;
  }
}
