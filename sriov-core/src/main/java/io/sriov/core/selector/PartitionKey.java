package io.sriov.core.selector;

import io.sriov.core.value.InvalidValueException;
import java.util.Locale;

/**
 * An InfiniBand partition key (16 bits, the top bit being full membership), written in hex with an
 * optional {@code 0x} as in the {@code pKeys} selector ({@code 0x7fff}, {@code 0xABCD}) and in
 * {@code /sys/class/infiniband/<dev>/ports/<n>/pkeys/0}. Compared by value, so case and leading
 * zeros do not matter.
 */
public record PartitionKey(int value) {

  public PartitionKey {
    if (value < 0 || value > 0xffff) {
      throw new InvalidValueException("partition key out of range 0x0000-0xffff: " + value);
    }
  }

  public static PartitionKey parse(String s) {
    if (s == null) {
      throw new InvalidValueException("partition key: missing");
    }
    String t = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    if (t.isEmpty() || t.length() > 4) {
      throw new InvalidValueException(
          "partition key "
              + InvalidValueException.quote(s)
              + ": expected 1-4 hex digits (e.g. 0x7fff)");
    }
    int v = 0;
    for (int i = 0; i < t.length(); i++) {
      int d = Character.digit(t.charAt(i), 16);
      if (d < 0 || t.charAt(i) > 'f') {
        throw new InvalidValueException(
            "partition key "
                + InvalidValueException.quote(s)
                + ": expected 1-4 hex digits (e.g. 0x7fff)");
      }
      v = v * 16 + d;
    }
    return new PartitionKey(v);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "0x%04x", value);
  }
}
