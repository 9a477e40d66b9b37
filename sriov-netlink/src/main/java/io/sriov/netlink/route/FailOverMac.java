package io.sriov.netlink.route;

/** IFLA_BOND_FAIL_OVER_MAC (BOND_FOM_*). */
public enum FailOverMac implements BondEnums.Named {
  NONE("none", 0),
  ACTIVE("active", 1),
  FOLLOW("follow", 2);

  private final String label;
  private final int kernel;

  FailOverMac(String label, int kernel) {
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
  public static FailOverMac parse(String s) {
    return BondEnums.parse(FailOverMac.class, "fail_over_mac", s);
  }

  @Override
  public String toString() {
    return label;
  }
}
