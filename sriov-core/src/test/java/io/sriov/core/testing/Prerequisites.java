package io.sriov.core.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need something of the machine (root, the real kernel, the SR-IOV VM).
 *
 * <p>Where the prerequisite is missing, the test is reported skipped with the reason, except when
 * the suite is required: under CI ({@code CI=true}) or with {@code -Dsriov.require.all=true}, a
 * missing prerequisite fails the test instead, so CI can never pass by silently skipping the
 * real-kernel or VM suites.
 */
public final class Prerequisites {
  private Prerequisites() {}

  /** True when missing prerequisites must fail rather than skip. */
  public static boolean required() {
    return Boolean.getBoolean("sriov.require.all") || "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Skips (or, when {@link #required()}, fails) the calling test unless {@code condition} holds.
   *
   * @param what the prerequisite, e.g. "root and the real kernel's network namespaces"
   * @param why the reason it is missing, printed in the skip or failure
   */
  public static void require(boolean condition, String what, String why) {
    if (condition) {
      return;
    }
    String message = "needs " + what + ": " + why;
    if (required()) {
      throw new AssertionError(message + " (required: CI=true or -Dsriov.require.all=true)");
    }
    Assumptions.abort(message);
  }

  /** Root user (uid 0), as read from /proc/self/status. */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
