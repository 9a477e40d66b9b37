package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CniArgsTest {

  private static void fails(Runnable r, String msg) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(CniErrorCode.INVALID_ENVIRONMENT_VARIABLES);
              assertThat(e.msg()).isEqualTo(msg);
            });
  }

  @Test
  void pairsAsLibcniLoadArgs() {
    CniArgs a =
        CniArgs.parse("IgnoreUnknown=1;MAC=aa:bb:cc:dd:ee:ff;X=;Y=a=b;MAC=02:00:00:00:00:01");
    assertThat(a.get("MAC")).contains("02:00:00:00:00:01");
    assertThat(a.get("X")).contains("");
    assertThat(a.get("Y")).contains("a=b");
    assertThat(a.get("mac")).isEmpty();
    assertThat(a.ignoreUnknown()).isTrue();
    assertThat(a.raw()).startsWith("IgnoreUnknown=1;");
    assertThat(CniArgs.parse("").values()).isEmpty();
    assertThat(CniArgs.parse(null)).isEqualTo(CniArgs.NONE);
  }

  @Test
  void invalidPairs() {
    fails(
        () -> CniArgs.parse("A=1;"),
        "CNI_ARGS \"A=1;\": invalid pair \"\" (want KEY=VALUE, pairs separated by ;)");
    fails(
        () -> CniArgs.parse("=1"),
        "CNI_ARGS \"=1\": invalid pair \"=1\" (want KEY=VALUE, pairs separated by ;)");
  }

  @Test
  void ignoreUnknownTakesGoBools() {
    for (String t : new String[] {"1", "true", "True"}) {
      assertThat(CniArgs.parse("IgnoreUnknown=" + t).ignoreUnknown()).isTrue();
    }
    for (String f : new String[] {"0", "false", "False"}) {
      assertThat(CniArgs.parse("IgnoreUnknown=" + f).ignoreUnknown()).isFalse();
    }
    fails(
        () -> CniArgs.parse("IgnoreUnknown=yes"),
        "CNI_ARGS: IgnoreUnknown=yes: not a boolean (want 1, true, True, 0, false or False)");
  }

  @Test
  void unknownKeys() {
    CniArgs.parse("MAC=x;IgnoreUnknown=0").requireKnown(Set.of("MAC"));
    CniArgs.parse("FOO=x;IgnoreUnknown=1").requireKnown(Set.of("MAC"));
    fails(
        () -> CniArgs.parse("MAC=x;FOO=1").requireKnown(Set.of("MAC")),
        "CNI_ARGS: unknown key \"FOO\" (known: MAC; add IgnoreUnknown=1 to ignore others)");
    fails(
        () -> CniArgs.parse("FOO=1;BAR=2").requireKnown(Set.of("MAC", "K8S_POD_NAME")),
        "CNI_ARGS: unknown keys \"FOO\", \"BAR\" (known: K8S_POD_NAME, MAC; add IgnoreUnknown=1 to"
            + " ignore others)");
  }
}
