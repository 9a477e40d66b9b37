package io.sriov.core.device;

import java.util.Locale;

/** RFC 2863 operational state as the kernel reports it in {@code operstate} / IFLA_OPERSTATE. */
public enum OperState {
  UNKNOWN,
  NOTPRESENT,
  DOWN,
  LOWERLAYERDOWN,
  TESTING,
  DORMANT,
  UP;

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
