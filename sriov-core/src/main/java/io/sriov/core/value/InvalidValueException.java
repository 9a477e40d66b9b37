package io.sriov.core.value;

/**
 * A string from outside (config, netconf, sysfs, kubelet) does not form a valid identifier. The
 * message names the kind of value, quotes the input and says what is wrong with it.
 */
public final class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidValueException(String message) {
    super(message);
  }

  static InvalidValueException of(String kind, String input, String problem) {
    return new InvalidValueException(kind + " " + quote(input) + ": " + problem);
  }

  /** Quotes user input for an error message: control characters escaped, cut after 80. */
  public static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > 80) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}
