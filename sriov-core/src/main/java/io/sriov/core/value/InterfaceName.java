package io.sriov.core.value;

import java.nio.charset.StandardCharsets;

/**
 * A network interface name by the kernel's rules ({@code dev_valid_name}): 1-15 bytes, not {@code
 * .} or {@code ..}, no {@code /}, {@code :} or whitespace. Valid names are safe as a path element
 * under {@code /sys/class/net}.
 */
public record InterfaceName(String value) implements Comparable<InterfaceName> {

  /** IFNAMSIZ minus the terminating NUL. */
  public static final int MAX_BYTES = 15;

  public InterfaceName {
    String problem = problem(value);
    if (problem != null) {
      throw InvalidValueException.of("interface name", value, problem);
    }
  }

  public static InterfaceName of(String s) {
    return new InterfaceName(s);
  }

  public static boolean isValid(String s) {
    return problem(s) == null;
  }

  private static String problem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty";
    }
    if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "longer than " + MAX_BYTES + " bytes";
    }
    if (s.equals(".") || s.equals("..")) {
      return "must not be . or ..";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/') {
        return "must not contain '/'";
      }
      if (c == ':') {
        return "must not contain ':'";
      }
      if (Character.isWhitespace(c) || c == 0) {
        return "must not contain whitespace or NUL";
      }
    }
    return null;
  }

  @Override
  public int compareTo(InterfaceName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
