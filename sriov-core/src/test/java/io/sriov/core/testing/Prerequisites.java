package io.sriov.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
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

  /**
   * Effective uid 0, as the kernel reports it in {@code /proc/self/status} (the third field of the
   * {@code Uid:} line: real, effective, saved, filesystem). Not {@code user.name}, which names the
   * account and says nothing about the process's privileges (sudo -E, a uid-0 user named otherwise,
   * a setuid launcher). False where there is no {@code /proc} (not Linux).
   */
  public static boolean isRoot() {
    return effectiveUid(Path.of("/proc/self/status")).orElse(-1) == 0;
  }

  /** The effective uid of a {@code /proc/<pid>/status} file; empty when it cannot be read. */
  static OptionalInt effectiveUid(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return f.length >= 2 ? OptionalInt.of(Integer.parseInt(f[1])) : OptionalInt.empty();
        }
      }
      return OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
