package io.sriov.netlink.route;

/** IFLA_BOND_AD_LACP_RATE. */
public enum LacpRate implements BondEnums.Named {
  SLOW("slow", 0),
  FAST("fast", 1);

  private final String label;
  private final int kernel;

  LacpRate(String label, int kernel) {
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
  public static LacpRate parse(String s) {
    return BondEnums.parse(LacpRate.class, "lacp_rate", s);
  }

  @Override
  public String toString() {
    return label;
  }
}
