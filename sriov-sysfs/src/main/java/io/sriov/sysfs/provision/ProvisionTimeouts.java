package io.sriov.sysfs.provision;

import java.time.Duration;
import java.util.Objects;

/**
 * Time bounds of node changes.
 *
 * @param write longest wait for one sysfs write (a driver stuck in {@code sriov_numvfs} must not
 *     hang the caller; upstream uses 2 minutes)
 * @param vfsAppear longest wait for {@code virtfnN}/{@code physfn} links after enabling VFs
 * @param driverSettle longest wait for the {@code driver} link to show the expected state
 * @param poll interval between checks while waiting
 */
public record ProvisionTimeouts(
    Duration write, Duration vfsAppear, Duration driverSettle, Duration poll) {

  public ProvisionTimeouts {
    for (Duration d : new Duration[] {write, vfsAppear, driverSettle, poll}) {
      Objects.requireNonNull(d, "timeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive: " + d);
      }
    }
  }

  /** 120 s per write, 120 s for VFs to appear, 10 s for driver links, polling every 50 ms. */
  public static ProvisionTimeouts defaults() {
    return new ProvisionTimeouts(
        Duration.ofSeconds(120),
        Duration.ofSeconds(120),
        Duration.ofSeconds(10),
        Duration.ofMillis(50));
  }
}
