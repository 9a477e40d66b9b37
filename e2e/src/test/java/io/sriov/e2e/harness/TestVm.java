package io.sriov.e2e.harness;

import io.sriov.core.testing.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How *E2E tests get the VM: skipped with the reason outside CI, failing under CI. */
public final class TestVm {
  private TestVm() {}

  /** The {@code e2e/vm} folder (set by the pom; {@code vm} relative to the module otherwise). */
  public static Path harnessDir() {
    return Path.of(System.getProperty("sriov.e2e.vm.dir", "vm")).toAbsolutePath().normalize();
  }

  /** The repository root: commands in the guest run there, so relative paths work. */
  public static Path repositoryRoot() {
    return harnessDir().getParent().getParent();
  }

  /** The host folder for one scenario's evidence: {@code e2e/target/e2e-out/<name>}. */
  public static Path outDir(String name) {
    return Path.of(System.getProperty("sriov.e2e.out", "target/e2e-out"))
        .toAbsolutePath()
        .resolve(name);
  }

  /** The VM, or skip (fail under CI) naming what is missing. */
  public static SriovVm require() {
    SriovVm vm = SriovVm.fromEnvironment(harnessDir(), System.getenv());
    Optional<String> why = vm.unavailableReason();
    Prerequisites.require(
        why.isEmpty(), "the SR-IOV test VM (QEMU with igb, the guest kernel)", why.orElse(""));
    return vm;
  }

  /**
   * Runs a request in the VM, or, with {@code -Dsriov.e2e.reuse=true} (never under CI), re-judges
   * the evidence a previous run left in the request's output folder without booting.
   */
  public static GuestRun run(GuestRequest request) throws Exception {
    if (Boolean.getBoolean("sriov.e2e.reuse") && !Prerequisites.required()) {
      Optional<GuestRun> previous = SriovVm.previousRun(request.outDir());
      if (previous.isPresent()) {
        return previous.get();
      }
    }
    return require().run(request);
  }

  /** A request for a command run from the repository root. */
  public static GuestRequest request(String name, List<String> command) {
    return GuestRequest.of(outDir(name), repositoryRoot(), command);
  }
}
