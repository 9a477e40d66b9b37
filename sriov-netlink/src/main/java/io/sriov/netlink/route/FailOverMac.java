package io.sriov.netlink.route;

import java.util.Optional;

/** IFLA_BOND_FAIL_OVER_MAC (BOND_FOM_*); the kernel numbers them 0, 1, ... in this order. */
public enum FailOverMac implements BondEnums.Named {
  NONE("none"),
  ACTIVE("active"),
  FOLLOW("follow");

  private final String label;

  FailOverMac(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }

  /** Parses the word (or its number); the error lists the accepted words. */
  public static FailOverMac parse(String s) {
    return BondEnums.parse(FailOverMac.class, "fail_over_mac", s);
  }

  /** The kernel's value for {@code value}; empty for one this version does not know. */
  public static Optional<FailOverMac> fromKernel(int value) {
    return BondEnums.fromKernel(FailOverMac.class, value);
  }

  @Override
  public String toString() {
    return label;
  }
}
