package io.sriov.e2e.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest-side JVM command: this test JVM's own java and class path (the host root is shared, so
 * the same paths work in the guest), running {@code io.sriov.e2e.guest.GuestMain}.
 */
public final class GuestJvm {
  private GuestJvm() {}

  /** JVM options for a short run under TCG: the JIT's top tier and a parallel GC do not pay. */
  public static final List<String> JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xss1m",
          "--enable-native-access=ALL-UNNAMED");

  /**
   * A guest command running GuestMain on the given scenarios (all when none), with evidence under
   * {@code $SRIOV_E2E_OUT/<folder>}.
   */
  public static List<String> command(String folder, List<String> scenarios) {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec \"$@\"", "--"));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.sriov.e2e.guest.GuestMain");
    cmd.add("/run/sriov-e2e/out/" + folder);
    cmd.addAll(scenarios);
    return cmd;
  }
}
