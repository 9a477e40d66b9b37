package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginStatusTest {
  @TempDir Path dir;

  @Test
  void aWritableDirectoryOrAMissingOneUnderAWritableParentIsUsable() {
    assertThatCode(() -> PluginStatus.requireWritableDirectory("state directory", dir))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> PluginStatus.requireWritableDirectory("state directory", dir.resolve("a/b")))
        .doesNotThrowAnyException();
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsCode50NamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    CniException e =
        catchThrowableOfType(
            CniException.class,
            () -> PluginStatus.requireWritableDirectory("state directory", file.resolve("s")));
    assertThat(e.code()).isEqualTo(CniErrorCode.PLUGIN_NOT_AVAILABLE);
    assertThat(e.msg())
        .isEqualTo(
            "state directory "
                + file.resolve("s")
                + " cannot be written (nearest existing: "
                + file
                + ")");
  }

  @Test
  void aFailingProbeIsCode50WithItsMessage() {
    CniException e =
        catchThrowableOfType(
            CniException.class,
            () ->
                PluginStatus.requireAvailable(
                    "rtnetlink",
                    () -> {
                      throw new IOException("socket(AF_NETLINK): EACCES");
                    }));
    assertThat(e.code().code()).isEqualTo(50);
    assertThat(e.msg()).isEqualTo("rtnetlink unavailable: socket(AF_NETLINK): EACCES");
    assertThatCode(() -> PluginStatus.requireAvailable("rtnetlink", () -> {}))
        .doesNotThrowAnyException();
  }
}
