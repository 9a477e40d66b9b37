package io.sriov.netlink.route;

import java.util.Optional;

/**
 * IFLA_BOND_XMIT_HASH_POLICY (BOND_XMIT_POLICY_*); the kernel numbers them 0, 1, ... in this order.
 */
public enum XmitHashPolicy implements BondEnums.Named {
  LAYER2("layer2"),
  LAYER3_4("layer3+4"),
  LAYER2_3("layer2+3"),
  ENCAP2_3("encap2+3"),
  ENCAP3_4("encap3+4"),
  VLAN_SRCMAC("vlan+srcmac");

  private final String label;

  XmitHashPolicy(String label) {
    this.label = label;
  }

  @Override
  public String label() {
    return label;
  }

  /** Parses the word (or its number); the error lists the accepted words. */
  public static XmitHashPolicy parse(String s) {
    return BondEnums.parse(XmitHashPolicy.class, "xmit_hash_policy", s);
  }

  /** The kernel's value for {@code value}; empty for one this version does not know. */
  public static Optional<XmitHashPolicy> fromKernel(int value) {
    return BondEnums.fromKernel(XmitHashPolicy.class, value);
  }

  @Override
  public String toString() {
    return label;
  }
}
