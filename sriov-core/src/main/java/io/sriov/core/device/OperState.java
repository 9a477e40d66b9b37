package io.sriov.core.device;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/** RFC 2863 operational state as the kernel reports it in {@code operstate} / IFLA_OPERSTATE. */
public enum OperState {
  UNKNOWN,
  NOTPRESENT,
  DOWN,
  LOWERLAYERDOWN,
  TESTING,
  DORMANT,
  UP;

  /**
   * The state says there is no link: DOWN, LOWERLAYERDOWN or NOTPRESENT. The kernel then refuses to
   * show {@code carrier} and {@code speed} in sysfs (EINVAL), and a netdev has no carrier.
   */
  public boolean noLink() {
    return this == DOWN || this == LOWERLAYERDOWN || this == NOTPRESENT;
  }

  /**
   * The carrier as discovery reports it: UP implies it (IF_OPER_UP needs it), {@link #noLink()}
   * means none, and only the other states ask the driver's flag ({@code reported}: sysfs {@code
   * carrier}, IFLA_CARRIER).
   */
  public boolean carrier(BooleanSupplier reported) {
    return this == UP || (!noLink() && reported.getAsBoolean());
  }

  /** Parses sysfs {@code operstate} text; anything unrecognised is {@link #UNKNOWN}. */
  public static OperState parse(String s) {
    if (s == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /** IF_OPER_* numbering (include/uapi/linux/if.h). */
  public static OperState fromKernel(int v) {
    return switch (v) {
      case 1 -> NOTPRESENT;
      case 2 -> DOWN;
      case 3 -> LOWERLAYERDOWN;
      case 4 -> TESTING;
      case 5 -> DORMANT;
      case 6 -> UP;
      default -> UNKNOWN;
    };
  }
}
