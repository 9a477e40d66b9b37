package io.sriov.core.port;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A kernel device event (a kobject uevent, as {@code udevadm monitor --kernel} prints it): a device
 * was added, removed, bound to or unbound from a driver, or announced a change.
 *
 * @param subsystem the {@code SUBSYSTEM} key ({@code pci}, {@code net}, ...)
 * @param devpath the {@code DEVPATH} key, relative to {@code /sys} ({@code
 *     /devices/pci0000:00/0000:00:03.0})
 * @param pciAddress the {@code PCI_SLOT_NAME} key, for PCI devices
 * @param driver the {@code DRIVER} key: the driver bound (on {@code bind}, and on {@code change} or
 *     {@code add} of a bound device)
 */
public record DeviceEvent(
    Action action,
    String subsystem,
    String devpath,
    Optional<PciAddress> pciAddress,
    Optional<DriverName> driver) {

  /** The kernel's kobject actions (enum kobject_action, lib/kobject_uevent.c spelling). */
  public enum Action {
    ADD,
    REMOVE,
    CHANGE,
    MOVE,
    ONLINE,
    OFFLINE,
    BIND,
    UNBIND;

    /** The action as the kernel spells it ({@code add}, {@code unbind}). */
    public String kernelName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The action the kernel spells {@code s}; empty for one this code does not know. */
    public static Optional<Action> ofKernelName(String s) {
      for (Action a : values()) {
        if (a.kernelName().equals(s)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }

  public DeviceEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(subsystem, "subsystem");
    Objects.requireNonNull(devpath, "devpath");
    Objects.requireNonNull(pciAddress, "pciAddress");
    Objects.requireNonNull(driver, "driver");
  }

  /** True for a PCI device appearing, disappearing or changing driver (what changes pools). */
  public boolean isPciMembershipChange() {
    return subsystem.equals("pci")
        && (action == Action.ADD
            || action == Action.REMOVE
            || action == Action.BIND
            || action == Action.UNBIND);
  }
}
