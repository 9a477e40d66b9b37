package io.sriov.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SriovVmTest {

  @TempDir Path tmp;

  private GuestRequest request(List<String> command) {
    return GuestRequest.of(tmp.resolve("out"), tmp, command);
  }

  @Test
  void requestRejectsBadInput() {
    assertThatThrownBy(() -> request(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("guest command is empty");
    assertThatThrownBy(() -> request(List.of("true")).withPfs(7))
        .hasMessage("pfs must be 0..6, got 7");
    assertThatThrownBy(() -> request(List.of("true")).withPfs(-1))
        .hasMessage("pfs must be 0..6, got -1");
    assertThatThrownBy(() -> request(List.of("true")).withTimeout(Duration.ofMillis(500)))
        .hasMessage("timeout must be at least 1 s, got PT0.5S");
    assertThatThrownBy(() -> request(List.of("true")).withEnv("A-B", "x"))
        .hasMessage("invalid environment variable name 'A-B'");
  }

  @Test
  void commandLineCarriesEveryOption() {
    SriovVm vm = new SriovVm(tmp.resolve("vm"), tmp.resolve("cache"), List.of());
    GuestRequest req =
        request(List.of("ip", "link"))
            .withPfs(3)
            .withKvm(true)
            .withTimeout(Duration.ofSeconds(90))
            .withEnv("B", "2")
            .withEnv("A", "x y");
    assertThat(vm.commandLine(req))
        .containsExactly(
            tmp.resolve("vm/run-in-guest.sh").toString(),
            "--pfs",
            "3",
            "--timeout",
            "90",
            "--out",
            tmp.resolve("out").toString(),
            "--kvm",
            "--env",
            "A=x y",
            "--env",
            "B=2",
            "--",
            "ip",
            "link");
  }

  @Test
  void unavailableReasonNamesWhatIsMissing() throws IOException {
    Path vmDir = Files.createDirectories(tmp.resolve("vm"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    SriovVm vm = new SriovVm(vmDir, cache, List.of(bin));

    assertThat(vm.unavailableReason()).contains("no executable harness script at " + vm.script());
    executable(vm.script(), "#!/bin/sh\n");
    assertThat(vm.unavailableReason())
        .contains("qemu-system-x86_64 is not installed: run e2e/vm/setup.sh as root");
    executable(bin.resolve("qemu-system-x86_64"), "#!/bin/sh\n");
    assertThat(vm.unavailableReason())
        .contains("no guest kernel and initramfs in " + cache + ": run e2e/vm/setup.sh as root");
    Files.writeString(cache.resolve("vm.env"), "KERNEL_VERSION=x\n");
    assertThat(vm.unavailableReason()).isEmpty();
  }

  @Test
  void fromEnvironmentReadsCacheAndPath() {
    SriovVm vm =
        SriovVm.fromEnvironment(tmp, Map.of("SRIOV_E2E_CACHE", "/c", "PATH", "/nowhere:/x"));
    assertThat(vm.cacheDir()).isEqualTo(Path.of("/c"));
    assertThat(SriovVm.fromEnvironment(tmp, Map.of()).cacheDir()).isEqualTo(SriovVm.DEFAULT_CACHE);
  }

  /** A stand-in for run-in-guest.sh keeping its contract: files in OUT/.vm, the exit status. */
  @Test
  void runReturnsWhatTheGuestLeft() throws Exception {
    Path vmDir = Files.createDirectories(tmp.resolve("vm"));
    executable(
        vmDir.resolve("run-in-guest.sh"),
        """
        #!/bin/bash
        while [[ $1 != -- ]]; do [[ $1 == --out ]] && out=$2; shift; done; shift
        mkdir -p "$out/.vm" "$out/r"
        echo "cache=$SRIOV_E2E_CACHE cwd=$PWD cmd=$*" >"$out/.vm/stdout"
        echo oops >"$out/.vm/stderr"
        echo 42 >"$out/r/answer"
        echo "harness says hi"
        exit 3
        """);
    SriovVm vm = new SriovVm(vmDir, tmp.resolve("cache"), List.of());
    Path stale = Files.createDirectories(tmp.resolve("out/r")).resolve("from-an-earlier-run");
    Files.writeString(stale, "old evidence\n");

    GuestRun run = vm.run(request(List.of("do", "it")));

    assertThat(stale).as("an earlier run's evidence is removed first").doesNotExist();

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.timedOut()).isFalse();
    assertThat(run.stdout())
        .isEqualTo("cache=" + tmp.resolve("cache") + " cwd=" + tmp + " cmd=do it\n");
    assertThat(run.stderr()).isEqualTo("oops\n");
    assertThat(run.text("r/answer")).contains("42");
    assertThat(run.text("r/missing")).isEmpty();
    assertThat(run.text("run-in-guest.log")).contains("harness says hi");
    assertThat(run.diagnostics()).contains("exit status 3", "oops", "harness says hi");
    assertThatThrownBy(() -> run.path("../etc/passwd"))
        .hasMessage("path '../etc/passwd' leaves the output folder");
  }

  @Test
  void previousRunIsReadBackFromTheOutputFolder() throws IOException {
    Path out = tmp.resolve("out");
    assertThat(SriovVm.previousRun(out)).isEmpty();
    Path vm = Files.createDirectories(out.resolve(".vm"));
    Files.writeString(vm.resolve("stdout"), "o\n");
    assertThat(SriovVm.previousRun(out)).as("no exit status: the run did not finish").isEmpty();
    Files.writeString(vm.resolve("exit-status"), "4\n");
    Files.writeString(vm.resolve("elapsed-ms"), "1500\n");
    GuestRun run = SriovVm.previousRun(out).orElseThrow();
    assertThat(run).isEqualTo(new GuestRun(4, "o\n", "", out, Duration.ofMillis(1500)));
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
