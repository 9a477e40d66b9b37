package io.sriov.netlink.route;

/** IFLA_BOND_MODE (BOND_MODE_* of include/uapi/linux/if_bonding.h). */
public enum BondMode implements BondEnums.Named {
  BALANCE_RR("balance-rr", 0),
  ACTIVE_BACKUP("active-backup", 1),
  BALANCE_XOR("balance-xor", 2),
  BROADCAST("broadcast", 3),
  IEEE_802_3AD("802.3ad", 4),
  BALANCE_TLB("balance-tlb", 5),
  BALANCE_ALB("balance-alb", 6);

  private final String label;
  private final int kernel;

  BondMode(String label, int kernel) {
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
  public static BondMode parse(String s) {
    return BondEnums.parse(BondMode.class, "mode", s);
  }

  @Override
  public String toString() {
    return label;
  }
}
