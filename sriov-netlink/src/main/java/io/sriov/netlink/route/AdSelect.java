package io.sriov.netlink.route;

/** IFLA_BOND_AD_SELECT (BOND_AD_*). */
public enum AdSelect implements BondEnums.Named {
  STABLE("stable", 0),
  BANDWIDTH("bandwidth", 1),
  COUNT("count", 2);

  private final String label;
  private final int kernel;

  AdSelect(String label, int kernel) {
    this.label = label;
    this.kernel = kernel;
  }

  /** The kernel's word for it, as in sysfs and bond-cni's netconf. */
  @Override
  public String label() {
    return label;
  }

  @Override
  public int kernelValue() {
    return kernel;
  }

  /** Parses the word (or its number); the error lists the accepted words. */
  public static AdSelect parse(String s) {
    return BondEnums.parse(AdSelect.class, "ad_select", s);
  }

  @Override
  public String toString() {
    return label;
  }
}
