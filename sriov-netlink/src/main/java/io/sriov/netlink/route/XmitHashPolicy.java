package io.sriov.netlink.route;

/** IFLA_BOND_XMIT_HASH_POLICY (BOND_XMIT_POLICY_*). */
public enum XmitHashPolicy implements BondEnums.Named {
  LAYER2("layer2", 0),
  LAYER3_4("layer3+4", 1),
  LAYER2_3("layer2+3", 2),
  ENCAP2_3("encap2+3", 3),
  ENCAP3_4("encap3+4", 4),
  VLAN_SRCMAC("vlan+srcmac", 5);

  private final String label;
  private final int kernel;

  XmitHashPolicy(String label, int kernel) {
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
  public static XmitHashPolicy parse(String s) {
    return BondEnums.parse(XmitHashPolicy.class, "xmit_hash_policy", s);
  }

  @Override
  public String toString() {
    return label;
  }
}
