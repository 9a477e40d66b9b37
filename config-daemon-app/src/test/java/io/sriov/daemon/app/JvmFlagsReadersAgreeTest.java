package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.cni.plugin.StandaloneJvmFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The flags-list format has two readers: {@code bin/lib/jvm-flags.sh} (the launchers and the image
 * build, which have a shell) and {@link StandaloneJvmFlags} (the image's install step, which has
 * none). Each case here is fed to both; they must take the same flags, or refuse the same line.
 */
class JvmFlagsReadersAgreeTest {
  static final Path TOP = DaemonJvmFlagsTest.TOP;
  static final List<Path> CHECKED_IN =
      List.of(
          TOP.resolve("cni-plugin/src/main/resources/io/sriov/cni/plugin/standalone-jvm.flags"),
          TOP.resolve("config-daemon-app/src/main/resources/io/sriov/daemon/app/daemon-jvm.flags"));

  @ParameterizedTest
  @ValueSource(ints = {17, 21, 24, 25})
  void bothReadersTakeTheSameFlagsFromTheCheckedInLists(int feature) throws Exception {
    for (Path list : CHECKED_IN) {
      DaemonJvmFlagsTest.Listed sh = DaemonJvmFlagsTest.listed(list, feature);
      assertThat(sh.code()).as("%s: %s", list, sh.err()).isZero();
      assertThat(sh.flags())
          .as(list.toString())
          .isNotEmpty()
          .isEqualTo(StandaloneJvmFlags.parse(Files.readString(list), feature));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "# c\n\n-Xa\n  24+  -Xb \n25+ -Xc\n-Xd",
        "\t-Xa\t\n#-Xno\n   # indented comment\n9+ -Xb\n100+ -Xc\n",
        "-Dx=a=b\n--add-opens=java.base/sun.nio.ch=ALL-UNNAMED\n"
      })
  void bothReadersTakeTheSameFlagsFromAWellFormedList(String text, @TempDir Path dir)
      throws Exception {
    Path list = dir.resolve("ok.flags");
    Files.writeString(list, text);
    DaemonJvmFlagsTest.Listed sh = DaemonJvmFlagsTest.listed(list, 24);
    assertThat(sh.code()).as(sh.err()).isZero();
    assertThat(sh.flags()).isEqualTo(StandaloneJvmFlags.parse(text, 24));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-Xa\nXb\n",
        "-Xa\n-Xa -Xb\n",
        "-Xa\n2x+ -Xb\n",
        "-Xa\n1234+ -Xb\n",
        "-Xa\n25+ Xb\n",
        "-Xa\n25+\n",
        "-Xa\n-Xb #trailing\n",
        "-Xa\n-Dq='x'\n"
      })
  void bothReadersRefuseTheSameLine(String text, @TempDir Path dir) throws Exception {
    Path list = dir.resolve("bad.flags");
    Files.writeString(list, text);
    DaemonJvmFlagsTest.Listed sh = DaemonJvmFlagsTest.listed(list, 25);
    assertThat(sh.code()).as("the shell reader accepted %s", text.replace("\n", "\\n")).isNotZero();
    assertThat(sh.flags()).isEmpty();
    assertThat(sh.err()).contains(list + " line 2: expected a flag or 'NN+ flag', got: ");
    assertThatThrownBy(() -> StandaloneJvmFlags.parse(text, 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(" line 2: expected a flag or 'NN+ flag', got: ");
  }
}
