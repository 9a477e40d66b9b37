package io.sriov.bond;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this node can create bonds: what the bond plugin's STATUS reports (CNI 1.1 code 50,
 * plugin not available, when it cannot).
 */
@FunctionalInterface
public interface BondingDriver {

  /** A kernel that always has the driver: the simulated one. */
  BondingDriver PRESENT = Optional::empty;

  /** Empty when a bond can be created now; otherwise why not, naming what was looked at. */
  Optional<String> unavailable();

  /** The running kernel, through {@code /sys}, {@code /proc} and {@code /lib/modules}. */
  static BondingDriver kernel() {
    return new KernelBondingDriver(Path.of("/sys"), Path.of("/proc"), Path.of("/lib/modules"));
  }
}
