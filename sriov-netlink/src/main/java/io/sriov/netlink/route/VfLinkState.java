package io.sriov.netlink.route;

import java.util.Locale;

/** IFLA_VF_LINK_STATE_* ({@code ip link set <pf> vf N state auto|enable|disable}). */
public enum VfLinkState {
  AUTO(0),
  ENABLE(1),
  DISABLE(2);

  private final int kernel;

  VfLinkState(int kernel) {
    this.kernel = kernel;
  }

  public int kernelValue() {
    return kernel;
  }

  public static VfLinkState fromKernel(int v) {
    for (VfLinkState s : values()) {
      if (s.kernel == v) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown IFLA_VF_LINK_STATE " + v);
  }

  /**
   * Parses the sriov-cni {@code link_state} words {@code auto}, {@code enable}, {@code disable}.
   */
  public static VfLinkState parse(String s) {
    if (s != null) {
      for (VfLinkState v : values()) {
        if (v.name().toLowerCase(Locale.ROOT).equals(s.strip().toLowerCase(Locale.ROOT))) {
          return v;
        }
      }
    }
    throw new IllegalArgumentException(
        "VF link state \"" + s + "\": expected auto, enable or disable");
  }
}
