package io.sriov.netlink.route;

/** Shared parsing of the bonding option words (the names of /sys/class/net/bond0/bonding/*). */
final class BondEnums {
  private BondEnums() {}

  interface Named {
    String label();

    int kernelValue();
  }

  static <E extends Enum<E> & Named> E parse(Class<E> type, String option, String s) {
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      if (e.label().equals(s == null ? null : s.strip())
          || Integer.toString(e.kernelValue()).equals(s == null ? null : s.strip())) {
        return e;
      }
      allowed.append(allowed.isEmpty() ? "" : ", ").append(e.label());
    }
    throw new IllegalArgumentException(
        "bond " + option + " \"" + s + "\": expected one of " + allowed);
  }
}
