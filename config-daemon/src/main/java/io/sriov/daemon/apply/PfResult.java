package io.sriov.daemon.apply;

import io.sriov.core.value.PciAddress;
import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.plan.PfPlan;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What applying one PF's plan did.
 *
 * @param label the PF for messages, {@code 0000:3b:00.0 (ens1f0)}
 * @param applied the steps that changed the node, in order (after a rollback: the ones undone)
 * @param failure the step that failed, with the errno; empty when the PF applied
 * @param rollbackProblems undo steps that failed themselves; the PF is then left part-way
 * @param after the PF as the apply left it, for the status: the plan's observation when nothing was
 *     changed, else the apply's last read of the PF with the changes it made and verified since
 *     (each bind's driver link, each acknowledged rtnetlink change); empty when the apply could not
 *     read it (the status then observes the node)
 */
public record PfResult(
    PciAddress pf,
    String label,
    PfPlan.Action action,
    Outcome outcome,
    List<String> applied,
    Optional<Failure> failure,
    List<String> rollbackProblems,
    Optional<ObservedPf> after) {

  /** How the PF ended. */
  public enum Outcome {
    /** Nothing to change. */
    UNCHANGED,
    /** Every step applied. */
    APPLIED,
    /** The plan refused the PF (e.g. an externally managed PF that does not match); untouched. */
    REJECTED,
    /** A step failed and every completed step was undone: the PF is as it was. */
    ROLLED_BACK,
    /** A step failed and undoing failed too: the PF is part-way ({@link #rollbackProblems}). */
    ROLLBACK_FAILED
  }

  /**
   * A failed step.
   *
   * @param step the step, as the plan describes it ({@code numVfs 4 -> 8}); empty for a rejected PF
   * @param errno the errno name ({@code EBUSY}); empty when the failure has none
   */
  public record Failure(Optional<String> step, Optional<String> errno, String message) {
    public Failure {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(errno, "errno");
      Objects.requireNonNull(message, "message");
    }

    /** {@code numVfs 4 -> 8: EBUSY: <message>}. */
    public String describe() {
      StringBuilder b = new StringBuilder();
      step.ifPresent(s -> b.append(s).append(": "));
      errno.ifPresent(e -> b.append(e).append(": "));
      return b.append(message).toString();
    }
  }

  public PfResult {
    Objects.requireNonNull(pf, "pf");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    applied = List.copyOf(applied);
    Objects.requireNonNull(failure, "failure");
    rollbackProblems = List.copyOf(rollbackProblems);
    Objects.requireNonNull(after, "after");
  }

  public boolean succeeded() {
    return outcome == Outcome.UNCHANGED || outcome == Outcome.APPLIED;
  }
}
