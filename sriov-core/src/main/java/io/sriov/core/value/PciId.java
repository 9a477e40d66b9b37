package io.sriov.core.value;

import java.util.HexFormat;

/**
 * A 16-bit PCI vendor or device ID, written as upstream selectors write it: four lower-case hex
 * digits without {@code 0x} ({@code 8086}, {@code 154c}). {@link #parse} also takes the sysfs form
 * {@code 0x8086} and upper-case digits.
 */
public record PciId(int value) {
  private static final HexFormat HEX = HexFormat.of();

  public PciId {
    if (value < 0 || value > 0xffff) {
      throw new InvalidValueException("PCI ID out of range: " + value);
    }
  }

  public static PciId parse(String s) {
    if (s == null) {
      throw InvalidValueException.of("PCI ID", null, "missing");
    }
    String t = s.strip();
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
    }
    if (t.isEmpty() || t.length() > 4) {
      throw InvalidValueException.of("PCI ID", s, "expected 1-4 hex digits (e.g. 8086)");
    }
    int v = 0;
    for (int i = 0; i < t.length(); i++) {
      int d = HexFormat.isHexDigit(t.charAt(i)) ? HexFormat.fromHexDigit(t.charAt(i)) : -1;
      if (d < 0) {
        throw InvalidValueException.of("PCI ID", s, "'" + t.charAt(i) + "' is not a hex digit");
      }
      v = v * 16 + d;
    }
    return new PciId(v);
  }

  @Override
  public String toString() {
    // Four lower-case digits, as "%04x" writes them, without a Formatter per call (the status
    // renders two IDs per VF).
    return HEX.toHexDigits((short) value);
  }
}
