package io.sriov.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The SR-IOV test VM, driven through {@code e2e/vm/run-in-guest.sh}: each {@link #run} boots a
 * fresh QEMU guest with emulated Intel 82576 (igb) PFs, runs one command as root inside, powers the
 * guest off and returns what it left ({@link GuestRun}).
 *
 * <p>Shell equivalent: {@code SRIOV_E2E_CACHE=<cache> e2e/vm/run-in-guest.sh --pfs 2 --out <dir> --
 * <command...>}. The cache is prepared by {@code e2e/vm/setup.sh}.
 */
public final class SriovVm {

  /** Where {@code e2e/vm/setup.sh} keeps the guest kernel and initramfs unless told otherwise. */
  public static final Path DEFAULT_CACHE = Path.of("/var/cache/sriov-e2e");

  /** Extra time the JVM waits past the guest's own timeout before it kills the harness. */
  private static final Duration GRACE = Duration.ofSeconds(60);

  private final Path harnessDir;
  private final Path cacheDir;
  private final List<Path> searchPath;

  /**
   * @param harnessDir the folder holding {@code run-in-guest.sh} ({@code e2e/vm})
   * @param cacheDir the set-up cache ({@code SRIOV_E2E_CACHE})
   * @param searchPath folders searched for {@code qemu-system-x86_64} (the {@code PATH})
   */
  public SriovVm(Path harnessDir, Path cacheDir, List<Path> searchPath) {
    this.harnessDir = harnessDir;
    this.cacheDir = cacheDir;
    this.searchPath = List.copyOf(searchPath);
  }

  /**
   * The VM as this process's environment describes it: {@code SRIOV_E2E_CACHE} and {@code PATH}.
   */
  public static SriovVm fromEnvironment(Path harnessDir, Map<String, String> environment) {
    String cache = environment.getOrDefault("SRIOV_E2E_CACHE", "");
    List<Path> path = new ArrayList<>();
    for (String dir : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        path.add(Path.of(dir));
      }
    }
    return new SriovVm(harnessDir, cache.isEmpty() ? DEFAULT_CACHE : Path.of(cache), path);
  }

  public Path script() {
    return harnessDir.resolve("run-in-guest.sh");
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /** Why the VM cannot start on this machine, or empty when it can. */
  public Optional<String> unavailableReason() {
    if (!Files.isExecutable(script())) {
      return Optional.of("no executable harness script at " + script());
    }
    if (searchPath.stream().noneMatch(d -> Files.isExecutable(d.resolve("qemu-system-x86_64")))) {
      return Optional.of("qemu-system-x86_64 is not installed: run e2e/vm/setup.sh as root");
    }
    if (!Files.isRegularFile(cacheDir.resolve("vm.env"))) {
      return Optional.of(
          "no guest kernel and initramfs in " + cacheDir + ": run e2e/vm/setup.sh as root");
    }
    return Optional.empty();
  }

  /** The harness command line for a request. */
  public List<String> commandLine(GuestRequest request) {
    List<String> cmd = new ArrayList<>();
    cmd.add(script().toString());
    cmd.add("--pfs");
    cmd.add(Integer.toString(request.pfs()));
    cmd.add("--timeout");
    cmd.add(Long.toString(request.timeout().toSeconds()));
    cmd.add("--out");
    cmd.add(request.outDir().toString());
    if (request.kvm()) {
      cmd.add("--kvm");
    }
    request.env().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              cmd.add("--env");
              cmd.add(e.getKey() + "=" + e.getValue());
            });
    cmd.add("--");
    cmd.addAll(request.command());
    return cmd;
  }

  /**
   * Boots a guest, runs the request's command and waits for the guest to power off. The harness's
   * own messages go to {@code outDir/run-in-guest.log}.
   *
   * @throws IOException when the harness cannot be started or its output folder written
   */
  public GuestRun run(GuestRequest request) throws IOException, InterruptedException {
    // Evidence of an earlier run must not pass for this run's: start from an empty folder.
    deleteTree(request.outDir());
    Files.createDirectories(request.outDir());
    Path harnessLog = request.outDir().resolve("run-in-guest.log");
    ProcessBuilder builder =
        new ProcessBuilder(commandLine(request))
            .directory(request.workingDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(harnessLog.toFile());
    builder.environment().put("SRIOV_E2E_CACHE", cacheDir.toString());
    long start = System.nanoTime();
    Process process = builder.start();
    int exit;
    if (process.waitFor(request.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
      exit = process.exitValue();
    } else {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      exit = GuestRun.TIMED_OUT;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    Path vm = request.outDir().resolve(".vm");
    return new GuestRun(
        exit, read(vm.resolve("stdout")), read(vm.resolve("stderr")), request.outDir(), elapsed);
  }

  /** Removes {@code dir} and everything under it (symbolic links are removed, not followed). */
  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * What an earlier run left in {@code outDir}, for re-judging evidence without booting; empty when
   * no run finished there.
   */
  public static Optional<GuestRun> previousRun(Path outDir) throws IOException {
    Path vm = outDir.resolve(".vm");
    Path status = vm.resolve("exit-status");
    if (!Files.isRegularFile(status)) {
      return Optional.empty();
    }
    Path elapsed = vm.resolve("elapsed-ms");
    return Optional.of(
        new GuestRun(
            Integer.parseInt(read(status).strip()),
            read(vm.resolve("stdout")),
            read(vm.resolve("stderr")),
            outDir,
            Duration.ofMillis(
                Files.isRegularFile(elapsed) ? Long.parseLong(read(elapsed).strip()) : 0)));
  }

  private static String read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
