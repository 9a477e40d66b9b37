package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CniVersionsTest {

  @Test
  void supportedVersionsExactly() {
    for (CniVersion v : CniVersion.values()) {
      assertThat(CniVersions.negotiate(Optional.of(v.text()))).isEqualTo(v);
    }
    assertThat(CniVersions.supported())
        .extracting(CniVersion::text)
        .containsExactly("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
  }

  @Test
  void unsupportedVersionIsCode1WithLibcnisDetails() {
    for (String v : new String[] {"0.2.0", "1.2.0", "1.0", "v1.0.0"}) {
      assertThatThrownBy(() -> CniVersions.negotiate(Optional.of(v)))
          .isInstanceOfSatisfying(
              CniException.class,
              e -> {
                assertThat(e.code()).isEqualTo(CniErrorCode.INCOMPATIBLE_CNI_VERSION);
                assertThat(e.msg()).isEqualTo("incompatible CNI versions");
                assertThat(e.details())
                    .isEqualTo(
                        "config is \""
                            + v
                            + "\", plugin supports [\"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\""
                            + " \"1.1.0\"]");
              });
    }
  }

  @Test
  void unsetVersionIsLibcnis010() {
    assertThatThrownBy(() -> CniVersions.negotiate(Optional.empty()))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> assertThat(e.details()).startsWith("config is \"0.1.0\", plugin supports"));
  }

  @Test
  void commandsByVersion() {
    assertThatNoException()
        .isThrownBy(
            () -> {
              CniVersions.requireAllowed(CniCommand.ADD, CniVersion.V0_3_0);
              CniVersions.requireAllowed(CniCommand.DEL, CniVersion.V0_3_0);
              CniVersions.requireAllowed(CniCommand.CHECK, CniVersion.V0_4_0);
              CniVersions.requireAllowed(CniCommand.CHECK, CniVersion.V1_0_0);
              CniVersions.requireAllowed(CniCommand.GC, CniVersion.V1_1_0);
              CniVersions.requireAllowed(CniCommand.STATUS, CniVersion.V1_1_0);
            });
    disallowed(CniCommand.CHECK, CniVersion.V0_3_1, "config version does not allow CHECK");
    disallowed(CniCommand.CHECK, CniVersion.V0_3_0, "config version does not allow CHECK");
    disallowed(CniCommand.GC, CniVersion.V1_0_0, "config version does not allow GC");
    disallowed(CniCommand.STATUS, CniVersion.V0_4_0, "config version does not allow STATUS");
  }

  private static void disallowed(CniCommand c, CniVersion v, String msg) {
    assertThatThrownBy(() -> CniVersions.requireAllowed(c, v))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(CniErrorCode.INCOMPATIBLE_CNI_VERSION);
              assertThat(e.msg()).isEqualTo(msg);
            });
  }

  @Test
  void versionOutputAsPluginInfoEncode() {
    assertThat(new String(CniVersions.versionOutput(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
                + "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
  }

  @Test
  void errorCodes() {
    assertThat(CniErrorCode.pluginSpecific(100).code()).isEqualTo(100);
    assertThatThrownBy(() -> CniErrorCode.pluginSpecific(99))
        .hasMessage("plugin-specific CNI error code 99: must be 100 or more (1-99 are reserved)");
    assertThatThrownBy(() -> new CniErrorCode(0)).hasMessage("CNI error code 0: must be 1 or more");
    assertThat(CniCommand.of("GC")).contains(CniCommand.GC);
    assertThat(CniCommand.of("gc")).isEmpty();
  }
}
