package io.sriov.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one guest run left: the command's exit status and output, and the output folder with the
 * files it wrote (under {@code outDir}) and the harness's own logs (under {@code outDir/.vm}).
 *
 * @param exitCode the command's exit status, or {@link #TIMED_OUT} / {@link #HARNESS_FAILED}
 * @param stdout the command's standard output
 * @param stderr the command's standard error
 * @param outDir the host folder that was shared with the guest
 * @param elapsed wall time of the whole run, boot and power-off included
 */
public record GuestRun(int exitCode, String stdout, String stderr, Path outDir, Duration elapsed) {

  /** Exit status when the guest ran past its timeout and was powered off. */
  public static final int TIMED_OUT = 124;

  /** Exit status when the harness or the guest failed before the command's status was known. */
  public static final int HARNESS_FAILED = 125;

  public boolean timedOut() {
    return exitCode == TIMED_OUT;
  }

  /** A file the guest wrote, by its path relative to the output folder; never outside it. */
  public Path path(String relative) {
    Path resolved = outDir.resolve(relative).normalize();
    if (!resolved.startsWith(outDir.normalize())) {
      throw new IllegalArgumentException("path '" + relative + "' leaves the output folder");
    }
    return resolved;
  }

  /** The trimmed text of a file the guest wrote, or empty when it wrote none. */
  public Optional<String> text(String relative) {
    Path file = path(relative);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
  }

  /**
   * What to print when a guest-side expectation fails: the exit status, stderr, and the ends of the
   * harness log, the guest set-up log and the serial console.
   */
  public String diagnostics() {
    StringBuilder out = new StringBuilder();
    out.append("exit status ").append(exitCode).append(" after ").append(elapsed.toMillis());
    out.append(" ms, output folder ").append(outDir).append('\n');
    out.append("--- stderr\n").append(tail(stderr, 20));
    for (String log : List.of("run-in-guest.log", ".vm/guest.log", ".vm/console.log")) {
      text(log).ifPresent(t -> out.append("--- ").append(log).append('\n').append(tail(t, 20)));
    }
    return out.toString();
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
  }
}
