package io.sriov.netlink.route;

import java.util.Optional;

/** IFLA_BOND_AD_SELECT (BOND_AD_*); the kernel numbers them 0, 1, ... in this order. */
public enum AdSelect implements BondEnums.Named {
  STABLE("stable"),
  BANDWIDTH("bandwidth"),
  COUNT("count");

  private final String label;

  AdSelect(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }

  /** Parses the word (or its number); the error lists the accepted words. */
  public static AdSelect parse(String s) {
    return BondEnums.parse(AdSelect.class, "ad_select", s);
  }

  /** The kernel's value for {@code value}; empty for one this version does not know. */
  public static Optional<AdSelect> fromKernel(int value) {
    return BondEnums.fromKernel(AdSelect.class, value);
  }

  @Override
  public String toString() {
    return label;
  }
}
