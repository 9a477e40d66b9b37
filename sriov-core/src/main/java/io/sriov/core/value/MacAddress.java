package io.sriov.core.value;

import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit Ethernet MAC address. Parses {@code aa:bb:cc:dd:ee:ff} in either case. */
public final class MacAddress {
  public static final MacAddress ZERO = new MacAddress(new byte[6]);

  private final byte[] bytes;

  private MacAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  public static MacAddress of(byte[] bytes) {
    if (bytes == null || bytes.length != 6) {
      throw new InvalidValueException(
          "MAC address must be 6 bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    return new MacAddress(bytes.clone());
  }

  public static MacAddress parse(String s) {
    if (s == null || s.length() != 17) {
      throw InvalidValueException.of(
          "MAC address", s, "expected six colon-separated hex octets (e.g. 02:00:00:00:00:01)");
    }
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      int p = i * 3;
      if (i < 5 && s.charAt(p + 2) != ':') {
        throw InvalidValueException.of(
            "MAC address", s, "expected six colon-separated hex octets (e.g. 02:00:00:00:00:01)");
      }
      int hi = asciiHex(s.charAt(p));
      int lo = asciiHex(s.charAt(p + 1));
      if (hi < 0 || lo < 0) {
        throw InvalidValueException.of("MAC address", s, "octet " + (i + 1) + " is not hex");
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return new MacAddress(b);
  }

  /**
   * The value of an ASCII hex digit, or -1 (Character.digit would also take e.g. full-width
   * digits).
   */
  private static int asciiHex(char c) {
    return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isZero() {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  public boolean isMulticast() {
    return (bytes[0] & 1) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes);
  }
}
