package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's one list of JVM flags ({@code daemon-jvm.flags}), as its two readers see it: {@code
 * bin/sriov-node} and node-image's argument file, both through {@code bin/lib/jvm-flags.sh}.
 */
class DaemonJvmFlagsTest {
  static final Path TOP = Path.of("").toAbsolutePath().getParent();
  static final Path LIST =
      Path.of("src/main/resources/io/sriov/daemon/app/daemon-jvm.flags").toAbsolutePath();

  record Listed(int code, List<String> flags, String err) {}

  /** The flags bin/lib/jvm-flags.sh reads from {@code list} for a JDK of {@code feature}. */
  static Listed listed(Path list, int feature) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            "-c",
            "set -euo pipefail; . \"$0/bin/lib/jvm-flags.sh\"; a=(); jvm_flags_into a \"$1\" \"$2\";"
                + " printf '%s\\n' \"${a[@]}\"",
            TOP.toString(),
            list.toString(),
            Integer.toString(feature));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> flags = out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    return new Listed(p.exitValue(), flags, err);
  }

  @Test
  void theListGatesFlagsByTheJdksFeatureVersion() throws Exception {
    Listed jdk21 = listed(LIST, 21);
    assertThat(jdk21.code()).as(jdk21.err()).isZero();
    assertThat(jdk21.flags())
        .contains("-Xshare:off", "-XX:+UseSerialGC", "-Xmx96m", "-XX:TieredStopAtLevel=1")
        .doesNotContain(
            "-XX:+UseCompactObjectHeaders",
            "-XX:TrimNativeHeapInterval=5000",
            "--sun-misc-unsafe-memory-access=allow");
    Listed jdk25 = listed(LIST, 25);
    assertThat(jdk25.flags())
        .containsAll(jdk21.flags())
        .contains(
            "-XX:+UseCompactObjectHeaders",
            "-XX:TrimNativeHeapInterval=5000",
            "--sun-misc-unsafe-memory-access=allow");
  }

  @Test
  void theJdkRunningTheBuildAcceptsEveryFlagItIsGiven() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(listed(LIST, Runtime.version().feature()).flags());
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s%n%s", cmd, out).isZero();
    assertThat(out).doesNotContain("warning", "Unrecognized").doesNotContain("sharing");
  }

  @Test
  void aLineThatIsNotAFlagIsRefusedByNumber(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.flags");
    Files.writeString(bad, "# fine\n-Xa\n-Xa -Xb\n");
    Listed listed = listed(bad, 25);
    assertThat(listed.code()).isNotZero();
    assertThat(listed.flags()).isEmpty();
    assertThat(listed.err()).contains(bad + " line 3", "-Xa -Xb");
    Files.writeString(bad, "2x+ -Xb\n");
    assertThat(listed(bad, 25).err()).contains("line 1");
  }
}
