package io.sriov.simulator.kernel;

import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SIMULATED kernel's fault injection: one-shot write failures ({@code errno}, optionally only
 * for one value) and a file whose writes hang (a stuck driver). Guarded by the kernel's lock; paths
 * are absolute and normalized.
 */
final class FaultInjector {
  private record Failure(String value, Errno errno) {}

  private final Map<Path, Failure> failures = new HashMap<>();
  private Path stalled;

  /** The next write to {@code file} ({@code value} null: of any value) fails with {@code errno}. */
  void fail(Path file, String value, Errno errno) {
    failures.put(file, new Failure(value, errno));
  }

  /** Writes to {@code file} hang; null clears. */
  void stall(Path file) {
    stalled = file;
  }

  boolean stalls(Path file) {
    return file.equals(stalled);
  }

  /** The injected failure for this write, used up; empty when the write goes through. */
  Optional<Errno> take(Path file, String value) {
    Failure f = failures.get(file);
    if (f != null && (f.value() == null || f.value().equals(value.strip()))) {
      failures.remove(file);
      return Optional.of(f.errno());
    }
    return Optional.empty();
  }
}
