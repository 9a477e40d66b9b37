package io.sriov.netlink.route;

import java.util.Optional;

/**
 * IFLA_BOND_ARP_VALIDATE (BOND_ARP_VALIDATE_* and BOND_ARP_FILTER*); the kernel numbers them 0, 1,
 * ... in this order.
 */
public enum ArpValidate implements BondEnums.Named {
  NONE("none"),
  ACTIVE("active"),
  BACKUP("backup"),
  ALL("all"),
  FILTER("filter"),
  FILTER_ACTIVE("filter_active"),
  FILTER_BACKUP("filter_backup");

  private final String label;

  ArpValidate(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }

  /** Parses the word (or its number); the error lists the accepted words. */
  public static ArpValidate parse(String s) {
    return BondEnums.parse(ArpValidate.class, "arp_validate", s);
  }

  /** The kernel's value for {@code value}; empty for one this version does not know. */
  public static Optional<ArpValidate> fromKernel(int value) {
    return BondEnums.fromKernel(ArpValidate.class, value);
  }

  @Override
  public String toString() {
    return label;
  }
}
