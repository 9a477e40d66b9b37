package io.sriov.daemon.engine;

import io.sriov.daemon.plan.DisruptedVf;
import io.sriov.daemon.plan.NodePlan;
import java.util.List;
import java.util.Objects;

/**
 * What the engine asks between plan and apply when the plan takes existing VFs away from their
 * holders ({@link NodePlan#disruptedVfs()}): may the node apply now? The cluster side answers by
 * draining the pods that hold those VFs, coordinated with the other nodes of its pool; without a
 * cluster, {@link #NONE} admits at once. The engine knows nothing of how: it applies after {@link
 * Admission.Proceed} and calls its release once the apply is over, or skips the apply after {@link
 * Admission.Deferred} and reports the pass {@code InProgress}.
 */
@FunctionalInterface
public interface DrainGate {

  /** Admits every plan at once and has nothing to release (a node without a cluster). */
  DrainGate NONE = vfs -> new Admission.Proceed(() -> {});

  /**
   * Whether the node may apply a plan that disrupts {@code vfs} (never empty). May block while the
   * pods holding them are drained, for a bounded time; an expected refusal (the pool is full, a
   * PodDisruptionBudget holds, the API server is away) is a {@link Admission.Deferred}, not an
   * exception.
   */
  Admission admit(List<DisruptedVf> vfs);

  /** The gate's answer. */
  sealed interface Admission {
    /**
     * Apply now; {@code release} runs once after the apply, whatever its outcome (the cluster side
     * uncordons the node and frees its drain slot there).
     */
    record Proceed(Runnable release) implements Admission {
      public Proceed {
        Objects.requireNonNull(release, "release");
      }
    }

    /** Not now, and why (a sentence for logs and events); the next pass asks again. */
    record Deferred(String reason) implements Admission {
      public Deferred {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
