package io.sriov.daemon.plan;

import io.sriov.daemon.desired.DesiredPf;
import io.sriov.daemon.observe.ObservedPf;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the plan does to one PF.
 *
 * @param observed the PF before any change (the applier's saved original state)
 * @param desired the spec entry; empty for a reset
 * @param failure why the PF cannot be configured (an externally managed PF that does not match, an
 *     unreadable PF); then {@code steps} is empty and the PF is not touched
 */
public record PfPlan(
    Action action,
    ObservedPf observed,
    Optional<DesiredPf> desired,
    List<Step> steps,
    Optional<String> failure) {

  /** Why the PF is in the plan. */
  public enum Action {
    /** In the desired state. */
    CONFIGURE,
    /** Dropped from the desired state and recorded as configured by this daemon. */
    RESET
  }

  public PfPlan {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(observed, "observed");
    Objects.requireNonNull(desired, "desired");
    steps = List.copyOf(steps);
    Objects.requireNonNull(failure, "failure");
    if (failure.isPresent() && !steps.isEmpty()) {
      throw new IllegalArgumentException("a failed PF plan has no steps");
    }
  }

  public boolean hasChanges() {
    return !steps.isEmpty();
  }

  /** True for a configured PF the daemon must not change ({@code externallyManaged}). */
  public boolean externallyManaged() {
    return desired.map(DesiredPf::externallyManaged).orElse(false);
  }
}
