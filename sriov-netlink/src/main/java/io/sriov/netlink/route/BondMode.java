package io.sriov.netlink.route;

import java.util.Optional;

/**
 * IFLA_BOND_MODE (BOND_MODE_* of include/uapi/linux/if_bonding.h); the kernel numbers them 0, 1,
 * ... in this order.
 */
public enum BondMode implements BondEnums.Named {
  BALANCE_RR("balance-rr"),
  ACTIVE_BACKUP("active-backup"),
  BALANCE_XOR("balance-xor"),
  BROADCAST("broadcast"),
  IEEE_802_3AD("802.3ad"),
  BALANCE_TLB("balance-tlb"),
  BALANCE_ALB("balance-alb");

  private final String label;

  BondMode(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }

  /** Parses the word (or its number); the error lists the accepted words. */
  public static BondMode parse(String s) {
    return BondEnums.parse(BondMode.class, "mode", s);
  }

  /** The kernel's value for {@code value}; empty for one this version does not know. */
  public static Optional<BondMode> fromKernel(int value) {
    return BondEnums.fromKernel(BondMode.class, value);
  }

  @Override
  public String toString() {
    return label;
  }
}
