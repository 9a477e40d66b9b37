package io.sriov.netlink.route;

import java.util.Optional;

/** IFLA_BOND_AD_LACP_RATE; the kernel numbers them 0, 1, ... in this order. */
public enum LacpRate implements BondEnums.Named {
  SLOW("slow"),
  FAST("fast");

  private final String label;

  LacpRate(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }

  /** Parses the word (or its number); the error lists the accepted words. */
  public static LacpRate parse(String s) {
    return BondEnums.parse(LacpRate.class, "lacp_rate", s);
  }

  /** The kernel's value for {@code value}; empty for one this version does not know. */
  public static Optional<LacpRate> fromKernel(int value) {
    return BondEnums.fromKernel(LacpRate.class, value);
  }

  @Override
  public String toString() {
    return label;
  }
}
