package io.sriov.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user errors of e2e/vm/run-in-guest.sh: refused before any VM starts, with exit 125. */
class RunInGuestUsageTest {

  @TempDir Path tmp;

  private record Result(int exit, String stderr) {}

  private String stdout = "";

  private Result run(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(TestVm.harnessDir().resolve("run-in-guest.sh").toString()));
    cmd.addAll(List.of(args));
    Path outFile = tmp.resolve("stdout");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(outFile.toFile());
    pb.environment().put("SRIOV_E2E_CACHE", tmp.resolve("no-cache").toString());
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    stdout = Files.readString(outFile);
    return new Result(exit, err.strip());
  }

  @Test
  void unknownOption() throws Exception {
    assertThat(run("--pf", "2", "--", "true"))
        .isEqualTo(
            new Result(
                125,
                "run-in-guest: unknown option '--pf' (the command goes after --; see --help)"));
  }

  @Test
  void noCommand() throws Exception {
    assertThat(run("--pfs", "1"))
        .isEqualTo(
            new Result(
                125, "run-in-guest: no command given: run-in-guest.sh [options] -- <command...>"));
  }

  @Test
  void pfsOutOfRange() throws Exception {
    assertThat(run("--pfs", "7", "--", "true"))
        .isEqualTo(new Result(125, "run-in-guest: --pfs must be 0..6, got '7'"));
  }

  @Test
  void badTimeout() throws Exception {
    assertThat(run("--timeout", "0", "--", "true"))
        .isEqualTo(
            new Result(
                125, "run-in-guest: --timeout must be a positive number of seconds, got '0'"));
  }

  @Test
  void envWithoutValue() throws Exception {
    assertThat(run("--env", "FOO", "--", "true"))
        .isEqualTo(new Result(125, "run-in-guest: --env needs NAME=VALUE, got 'FOO'"));
  }

  @Test
  void traceWithoutAnEventName() throws Exception {
    assertThat(run("--trace", "igb_*;rm", "--", "true"))
        .isEqualTo(
            new Result(
                125,
                "run-in-guest: --trace needs a QEMU trace event name or pattern like 'igb_*', got"
                    + " 'igb_*;rm'"));
    assertThat(run("--trace"))
        .isEqualTo(
            new Result(
                125,
                "run-in-guest: --trace needs a QEMU trace event name or pattern like 'igb_*', got"
                    + " ''"));
  }

  @Test
  void missingCache() throws Exception {
    assertThat(run("--", "true"))
        .isEqualTo(
            new Result(
                125,
                "run-in-guest: no VM cache at "
                    + tmp.resolve("no-cache")
                    + ": run e2e/vm/setup.sh first (as root)"));
  }

  @Test
  void helpPrintsUsage() throws Exception {
    assertThat(run("--help")).isEqualTo(new Result(0, ""));
    assertThat(stdout).startsWith("Runs one command as root in a fresh SR-IOV guest");
    assertThat(stdout).contains("--pfs N", "--kvm", "--out DIR", "--timeout SEC", "--trace EVENT");
    assertThat(stdout).contains("-netdev hubport,hubid=0", "DIR/.vm/pf<i>.pcap");
  }
}
