package io.sriov.netlink.devlink;

import java.util.Locale;

/** DEVLINK_ESWITCH_MODE_* ({@code devlink dev eswitch set pci/X mode legacy|switchdev}). */
public enum EswitchMode {
  LEGACY(0),
  SWITCHDEV(1);

  private final int kernel;

  EswitchMode(int kernel) {
    this.kernel = kernel;
  }

  public int kernelValue() {
    return kernel;
  }

  public static EswitchMode fromKernel(int v) {
    for (EswitchMode m : values()) {
      if (m.kernel == v) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown DEVLINK_ATTR_ESWITCH_MODE " + v);
  }

  /** The operator's word for the mode ({@code eSwitchMode}): {@code legacy}, {@code switchdev}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the operator's {@code eSwitchMode} words {@code legacy} / {@code switchdev}. */
  public static EswitchMode parse(String s) {
    if (s != null) {
      for (EswitchMode m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(s.strip().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException("eswitch mode \"" + s + "\": expected legacy or switchdev");
  }
}
