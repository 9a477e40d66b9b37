package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StandaloneJvmFlagsTest {

  @Test
  void theCheckedInListHasTheStartUpFlagsAndGatesTheNewerOnes() {
    assertThat(StandaloneJvmFlags.forFeature(25))
        .contains(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Djnr.ffi.asm.enabled=false",
            "-Djava.locale.providers=HOST",
            "-Xlog:aot=off",
            "--sun-misc-unsafe-memory-access=allow")
        .allMatch(f -> f.startsWith("-"));
    assertThat(StandaloneJvmFlags.forFeature(21))
        .contains("-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED")
        .doesNotContain("-Xlog:aot=off", "--sun-misc-unsafe-memory-access=allow");
  }

  @Test
  void skipsCommentsAndBlankLinesAndKeepsTheOrder() {
    assertThat(StandaloneJvmFlags.parse("# c\n\n-Xa\n  24+  -Xb \n25+ -Xc\n-Xd\n", 24))
        .containsExactly("-Xa", "-Xb", "-Xd");
  }

  @Test
  void aLineThatIsNotAFlagNamesItsNumber() {
    assertThatThrownBy(() -> StandaloneJvmFlags.parse("-Xa\nXb\n", 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("standalone-jvm.flags line 2: expected a flag or 'NN+ flag', got: Xb");
    assertThatThrownBy(() -> StandaloneJvmFlags.parse("-Xa -Xb\n", 25))
        .hasMessage("standalone-jvm.flags line 1: expected a flag or 'NN+ flag', got: -Xa -Xb");
    assertThatThrownBy(() -> StandaloneJvmFlags.parse("2x+ -Xb\n", 25))
        .hasMessage("standalone-jvm.flags line 1: expected a flag or 'NN+ flag', got: 2x+ -Xb");
  }
}
