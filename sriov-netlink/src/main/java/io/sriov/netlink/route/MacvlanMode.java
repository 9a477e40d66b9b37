package io.sriov.netlink.route;

/** IFLA_MACVLAN_MODE (MACVLAN_MODE_*). */
public enum MacvlanMode {
  PRIVATE(1),
  VEPA(2),
  BRIDGE(4),
  PASSTHRU(8),
  SOURCE(16);

  private final int kernel;

  MacvlanMode(int kernel) {
    this.kernel = kernel;
  }

  public int kernelValue() {
    return kernel;
  }
}
