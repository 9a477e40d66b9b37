package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniLogTest {
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void levelsFilterAsUpstream() {
    CniLog log = CniLog.open(Optional.empty(), Optional.of("warning"), err, CniRunnerTest.CLOCK);
    log.info("hidden");
    log.debug("hidden");
    log.warning("shown", "k", "v w", "n", 3, "q", "a\"b", "e", "");
    log.error("also");
    log.log(CniLog.Level.PANIC, "panic too");
    assertThat(stderr())
        .isEqualTo(
            "time=2026-12-02T05:00:00Z level=warning msg=shown k=\"v w\" n=3 q=\"a\\\"b\" e=\"\"\n"
                + "time=2026-12-02T05:00:00Z level=error msg=also\n"
                + "time=2026-12-02T05:00:00Z level=panic msg=\"panic too\"\n");
  }

  @Test
  void stepTimesAreOneDebugLineAndNothingBelowDebug() throws Exception {
    CniLog debug = CniLog.open(Optional.empty(), Optional.of("debug"), err, CniRunnerTest.CLOCK);
    CniLog.Steps steps = debug.steps("ADD");
    steps.mark("lock");
    Thread.sleep(5);
    steps.mark("attach");
    steps.done("pci", "0000:00:12.0");
    assertThat(stderr())
        .matches(
            "time=2026-12-02T05:00:00Z level=debug msg=\"step times\" op=ADD pci=0000:00:12.0"
                + " lock=\\d+\\.\\d attach=\\d+\\.\\d total=\\d+\\.\\d\n");
    String attach = stderr().replaceAll(".* attach=([0-9.]+) .*\n", "$1");
    assertThat(Double.parseDouble(attach))
        .as("the 5 ms slept in the step")
        .isGreaterThanOrEqualTo(5);
    err.reset();
    CniLog info = CniLog.open(Optional.empty(), Optional.empty(), err, CniRunnerTest.CLOCK);
    CniLog.Steps off = info.steps("DEL");
    assertThat(off).isSameAs(CniLog.Steps.OFF);
    off.mark("cache");
    off.done();
    assertThat(stderr()).isEmpty();
  }

  @Test
  void defaultIsInfo() {
    CniLog log = CniLog.open(Optional.empty(), Optional.empty(), err, CniRunnerTest.CLOCK);
    assertThat(log.level()).isEqualTo(CniLog.Level.INFO);
    assertThat(log.enabled(CniLog.Level.DEBUG)).isFalse();
  }

  @Test
  void unknownLevelIsReportedAndInfoUsed() {
    CniLog log = CniLog.open(Optional.empty(), Optional.of("verbose"), err, CniRunnerTest.CLOCK);
    assertThat(log.level()).isEqualTo(CniLog.Level.INFO);
    assertThat(stderr())
        .isEqualTo(
            "time=2026-12-02T05:00:00Z level=warning msg=\"logLevel not supported, using info\""
                + " logLevel=verbose supported=panic,error,warning,info,debug\n");
  }

  @Test
  void relativeLogFileFallsBackToStderr() {
    CniLog log = CniLog.open(Optional.of("bond.log"), Optional.empty(), err, CniRunnerTest.CLOCK);
    log.info("here");
    assertThat(stderr())
        .isEqualTo(
            "time=2026-12-02T05:00:00Z level=warning msg=\"logFile is not an absolute path,"
                + " logging to stderr\" logFile=bond.log\n"
                + "time=2026-12-02T05:00:00Z level=info msg=here\n");
  }

  @Test
  void unwritableLogFileFallsBackToStderr(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f");
    Files.writeString(file, "");
    CniLog log =
        CniLog.open(Optional.of(file + "/x.log"), Optional.empty(), err, CniRunnerTest.CLOCK);
    log.info("here");
    assertThat(stderr())
        .startsWith(
            "time=2026-12-02T05:00:00Z level=warning msg=\"cannot open logFile, logging to"
                + " stderr\" logFile="
                + file
                + "/x.log error=")
        .endsWith("level=info msg=here\n");
  }

  @Test
  void appendsToAnExistingFileAndCloses(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plugin.log");
    Files.writeString(file, "earlier\n");
    try (CniLog log =
        CniLog.open(Optional.of(file.toString()), Optional.empty(), err, CniRunnerTest.CLOCK)) {
      log.info("later", "ctl", "a\nb");
    }
    assertThat(Files.readString(file))
        .isEqualTo("earlier\ntime=2026-12-02T05:00:00Z level=info msg=later ctl=\"a\\nb\"\n");
    assertThat(err.size()).isZero();
  }
}
