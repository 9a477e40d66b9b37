package io.sriov.netlink.netns;

import java.nio.charset.StandardCharsets;

/**
 * The name of a named network namespace ({@code ip netns add NAME}): a file under the run
 * directory, so one path element: not empty, not {@code .} or {@code ..}, no {@code /}, no NUL, at
 * most 255 bytes (iproute2's rule).
 */
public record NetnsName(String value) {
  public NetnsName {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException("network namespace name \"" + value + "\": " + problem);
    }
  }

  public static NetnsName of(String s) {
    return new NetnsName(s);
  }

  private static String problem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty";
    }
    if (s.equals(".") || s.equals("..")) {
      return "must not be . or ..";
    }
    if (s.indexOf('/') >= 0) {
      return "must not contain '/'";
    }
    if (s.indexOf('\0') >= 0) {
      return "must not contain NUL";
    }
    if (s.getBytes(StandardCharsets.UTF_8).length > 255) {
      return "longer than 255 bytes";
    }
    return null;
  }

  @Override
  public String toString() {
    return value;
  }
}
