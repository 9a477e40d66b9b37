package io.sriov.netlink.route;

import java.util.Optional;

/**
 * The one shape of the bonding option words ({@link BondMode}, {@link FailOverMac}, {@link
 * XmitHashPolicy}, {@link LacpRate}, {@link AdSelect}, {@link ArpValidate}): each constant has the
 * word the kernel prints in {@code /sys/class/net/<bond>/bonding/*} and {@code ip -d link}, and the
 * kernel's number for it is its position (every one of these sets is numbered 0, 1, ... in
 * include/uapi/linux/if_bonding.h and bond_options.c, in the order declared).
 */
final class BondEnums {
  private BondEnums() {}

  /** A bonding option word. Implemented by enums only. */
  interface Named {
    /** The kernel's word for it, as in sysfs and bond-cni's netconf. */
    String label();

    /** The value sent in the IFLA_BOND_* attribute: the constant's position. */
    default int kernelValue() {
      return ((Enum<?>) this).ordinal();
    }
  }

  static <E extends Enum<E> & Named> E parse(Class<E> type, String option, String s) {
    StringBuilder allowed = new StringBuilder();
    String t = s == null ? null : s.strip();
    for (E e : type.getEnumConstants()) {
      if (e.label().equals(t) || Integer.toString(e.kernelValue()).equals(t)) {
        return e;
      }
      allowed.append(allowed.isEmpty() ? "" : ", ").append(e.label());
    }
    throw new IllegalArgumentException(
        "bond " + option + " \"" + s + "\": expected one of " + allowed);
  }

  static <E extends Enum<E> & Named> Optional<E> fromKernel(Class<E> type, int value) {
    E[] all = type.getEnumConstants();
    return value >= 0 && value < all.length ? Optional.of(all[value]) : Optional.empty();
  }
}
