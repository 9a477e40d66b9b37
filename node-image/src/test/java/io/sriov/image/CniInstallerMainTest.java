package io.sriov.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniInstallerMainTest {
  @TempDir Path tmp;
  private Path source;
  private Path target;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void dirs() throws IOException {
    source = Files.createDirectories(tmp.resolve("image/cni"));
    target = Files.createDirectories(tmp.resolve("host/opt/cni/bin"));
  }

  private int run(String... args) {
    return CniInstallerMain.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void installsEveryFileExecutableAndLeavesTheHostsOtherPluginsAlone() throws IOException {
    Files.writeString(source.resolve("sriov"), "shim");
    Files.writeString(source.resolve("bond"), "shim!");
    Files.createDirectories(source.resolve("not-a-plugin"));
    Files.writeString(target.resolve("host-local"), "go");
    Files.writeString(target.resolve("sriov"), "upstream sriov-cni");

    assertThat(run(source.toString(), target.toString())).isZero();

    assertThat(Files.readString(target.resolve("sriov"))).isEqualTo("shim");
    assertThat(Files.readString(target.resolve("bond"))).isEqualTo("shim!");
    assertThat(Files.readString(target.resolve("host-local"))).isEqualTo("go");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bond"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(target.resolve("not-a-plugin")).doesNotExist();
    try (var files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("sriov", "bond", "host-local");
    }
    assertThat(out())
        .isEqualTo(
            "install-cni: installed bond (5 bytes) in "
                + target
                + "\ninstall-cni: installed sriov (4 bytes) in "
                + target
                + "\n");
  }

  @Test
  void aSecondRunChangesNothingAndAnOldModeIsRepaired() throws IOException {
    Files.writeString(source.resolve("sriov"), "shim");
    assertThat(run(source.toString(), target.toString())).isZero();
    out.reset();
    assertThat(run(source.toString(), target.toString())).isZero();
    assertThat(out()).isEqualTo("install-cni: unchanged sriov (4 bytes) in " + target + "\n");
    Files.setPosixFilePermissions(
        target.resolve("sriov"), PosixFilePermissions.fromString("rw-r--r--"));
    out.reset();
    assertThat(run(source.toString(), target.toString())).isZero();
    assertThat(out()).startsWith("install-cni: installed sriov");
    assertThat(Files.isExecutable(target.resolve("sriov"))).isTrue();
  }

  @Test
  void anEmptySourceInstallsNothingAndSaysSo() {
    assertThat(run(source.toString(), target.toString())).isZero();
    assertThat(out())
        .isEqualTo("install-cni: no CNI executables in " + source + ": nothing to install\n");
  }

  @Test
  void aMissingDirectoryOrWrongArgumentsFailWithTheMessage() {
    assertThat(run(tmp.resolve("nope").toString(), target.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("install-cni: source directory " + tmp.resolve("nope") + " does not exist\n");
    err.reset();
    assertThat(run(source.toString(), tmp.resolve("host/none").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "install-cni: target directory " + tmp.resolve("host/none") + " does not exist\n");
    err.reset();
    assertThat(run(source.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("install-cni: usage: CniInstallerMain SOURCE_DIR TARGET_DIR\n");
  }
}
