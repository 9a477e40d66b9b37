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
  private Path image;
  private Path source;
  private Path target;
  private Path runtime;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void dirs() throws IOException {
    image = tmp.resolve("image");
    source = Files.createDirectories(image.resolve("opt/sriov-node/cni"));
    target = Files.createDirectories(tmp.resolve("host/opt/cni/bin"));
    runtime = Files.createDirectories(tmp.resolve("host/opt/sriov-node"));
  }

  private int run(String... args) {
    return CniInstallerMain.run(
        List.of(args),
        image,
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
    assertThat(mode(target.resolve("bond"))).isEqualTo("rwxr-xr-x");
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
        .isEqualTo(
            "install-cni: usage: CniInstallerMain SOURCE_DIR TARGET_DIR [RUNTIME_DIR"
                + " HOST_RUNTIME_DIR [SOCKET]]\n");
  }

  /** A miniature image: the runtime's parts as small files. */
  private void imageRuntime(String javaContent) throws IOException {
    write(image.resolve("opt/java/bin/java"), javaContent, "rwxr-xr-x");
    write(image.resolve("opt/java/lib/modules"), "jimage", "rw-r--r--");
    write(image.resolve("lib64/ld-linux-x86-64.so.2"), "ld.so", "rwxr-xr-x");
    write(image.resolve("lib/x86_64-linux-gnu/libc.so.6"), "libc", "rwxr-xr-x");
    write(image.resolve("app/libs/sriov-cni.jar"), "jar", "rw-r--r--");
    write(image.resolve("app/classes/io/sriov/image/CniInstallerMain.class"), "class", "rw-r--r--");
    write(image.resolve("app/resources/.keep"), "", "rw-r--r--");
  }

  private static void write(Path p, String content, String mode) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  private String installRuntime() {
    out.reset();
    int code = run(source.toString(), target.toString(), runtime.toString(), "/opt/sriov-node");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
    try (var entries = Files.list(runtime)) {
      return entries.map(p -> p.getFileName().toString()).reduce((a, b) -> a + " " + b).orElse("");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void installsTheRuntimeAndTheStandaloneLaunchersBeforeTheShim()
      throws IOException, InterruptedException {
    imageRuntime("java 1");
    Files.writeString(source.resolve("sriov"), "shim");
    String digest = installRuntime();
    assertThat(digest).matches("[0-9a-f]{16}");
    Path installed = runtime.resolve(digest);
    assertThat(Files.readString(installed.resolve("opt/java/bin/java"))).isEqualTo("java 1");
    assertThat(mode(installed.resolve("lib64/ld-linux-x86-64.so.2"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(installed.resolve("app/libs/sriov-cni.jar"))).isEqualTo("rw-r--r--");
    assertThat(Files.readString(installed.resolve("lib/x86_64-linux-gnu/libc.so.6")))
        .isEqualTo("libc");
    String launcher = Files.readString(target.resolve("sriov-standalone"));
    assertThat(launcher)
        .startsWith("#!/bin/sh\n")
        .contains("r='/opt/sriov-node/" + digest + "'\n")
        .contains(
            "exec \"$r/lib64/ld-linux-x86-64.so.2\" --library-path \"$r/lib/x86_64-linux-gnu\"")
        .contains(
            "\"$r/opt/java/bin/java\" '-XX:TieredStopAtLevel=1' '-XX:CICompilerCount=1'"
                + " '-XX:+UseSerialGC' '-Xss512k' \\\n")
        .contains(" '-Djnr.ffi.asm.enabled=false' ", " '-Djava.locale.providers=HOST' ")
        .contains("-Xshare:auto -Djdk.lang.Process.launchMechanism=FORK")
        .endsWith(
            "-cp \"$r/app/resources:$r/app/classes:$r/app/libs/*\" io.sriov.cni.sriov.SriovCniMain"
                + " \"$@\"\n");
    // The flags are spliced in as shell words: the script must still parse (sh -n reads only).
    Process check =
        new ProcessBuilder("/bin/sh", "-n", target.resolve("sriov-standalone").toString())
            .redirectErrorStream(true)
            .start();
    String shOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor()).as("sh -n: %s", shOut).isZero();
    assertThat(Files.readString(target.resolve("bond-standalone")))
        .contains(" io.sriov.bond.BondMain \"$@\"\n");
    assertThat(mode(target.resolve("bond-standalone"))).isEqualTo("rwxr-xr-x");
    assertThat(out())
        .isEqualTo(
            "install-cni: installed the standalone plugins' runtime "
                + digest
                + " (7 files) in "
                + runtime
                + "\ninstall-cni: standalone plugins bond-standalone, sriov-standalone in "
                + target
                + "\ninstall-cni: installed sriov (4 bytes) in "
                + target
                + "\n");
  }

  private int installWithSocket(String socket) {
    return run(source.toString(), target.toString(), runtime.toString(), "/opt/sriov-node", socket);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aSocketIsWrittenIntoTheShimsConfiguration() throws IOException {
    imageRuntime("java");
    Files.writeString(source.resolve("sriov"), "shim");
    assertThat(installWithSocket("/run/sriov/cni.sock")).isZero();
    assertThat(Files.readString(target.resolve("sriov-cni-shim.conf")))
        .isEqualTo(
            "# Written by sriov-node's install-cni: the node daemon's CNI server.\n"
                + "socket=/run/sriov/cni.sock\n");
    assertThat(mode(target.resolve("sriov-cni-shim.conf"))).isEqualTo("rw-r--r--");
    assertThat(out())
        .contains(
            "install-cni: sriov-cni-shim.conf in " + target + ": socket=/run/sriov/cni.sock\n");
    err.reset();
    assertThat(installWithSocket("/run/x\nsocket=/evil")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "install-cni: the CNI socket must be an absolute path without control characters, got"
                + " \"/run/x?socket=/evil\"\n");
    assertThat(Files.readString(target.resolve("sriov-cni-shim.conf")))
        .endsWith("socket=/run/sriov/cni.sock\n");
  }

  @Test
  void theSameImageCopiesNothingAndANewOneReplacesTheOldRuntime() throws IOException {
    imageRuntime("java 1");
    String first = installRuntime();
    assertThat(installRuntime()).isEqualTo(first);
    assertThat(out()).startsWith("install-cni: unchanged the standalone plugins' runtime " + first);
    Files.createDirectories(runtime.resolve("0123456789abcdef.partial/opt"));

    imageRuntime("java 2");
    String second = installRuntime();
    assertThat(second).isNotEqualTo(first).matches("[0-9a-f]{16}");
    assertThat(out())
        .startsWith(
            "install-cni: installed the standalone plugins' runtime "
                + second
                + " (7 files) in "
                + runtime
                + ", removed 0123456789abcdef.partial, "
                + first
                + "\n");
    assertThat(Files.readString(target.resolve("sriov-standalone")))
        .contains("r='/opt/sriov-node/" + second + "'\n");
  }

  @Test
  void aMissingRuntimePartOrBadRuntimeDirsFailWithTheMessage() throws IOException {
    imageRuntime("java");
    Files.delete(image.resolve("lib64/ld-linux-x86-64.so.2"));
    assertThat(run(source.toString(), target.toString(), runtime.toString(), "/opt/sriov-node"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "install-cni: the image has no " + image.resolve("lib64/ld-linux-x86-64.so.2") + "\n");
    err.reset();
    assertThat(run(source.toString(), target.toString(), runtime.toString(), "opt/sriov-node"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("install-cni: host runtime directory opt/sriov-node is not an absolute path\n");
    err.reset();
    assertThat(
            run(
                source.toString(),
                target.toString(),
                tmp.resolve("none").toString(),
                "/opt/sriov-node"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("install-cni: runtime directory " + tmp.resolve("none") + " does not exist\n");
    err.reset();
    assertThat(
            run(
                source.toString(),
                tmp.resolve("nobin").toString(),
                runtime.toString(),
                "/opt/sriov-node"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("install-cni: target directory " + tmp.resolve("nobin") + " does not exist\n");
    assertThat(tmp.resolve("nobin")).doesNotExist();
    err.reset();
    assertThat(run(source.toString(), target.toString(), runtime.toString())).isEqualTo(2);
  }
}
