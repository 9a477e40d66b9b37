package io.sriov.daemon.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.retry.Backoff;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.apply.PfResult;
import io.sriov.daemon.plan.NodePlan;
import io.sriov.daemon.plan.PfPlan;
import io.sriov.daemon.state.SriovNetworkNodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving daemon's passes, one at a time on one thread: a new desired state (the node-state
 * file changed, later the cluster) and drift re-checks ({@link DriftWatch}) are queued and
 * coalesced; each pass is {@link NodeEngine#reconcile} with the loop's {@link DrainGate} and goes
 * to the {@link Listener}.
 *
 * <p>A pass the gate defers (the drain is not granted yet, the API server is away) is not dropped:
 * the loop asks again after a backoff ({@link Backoff.Delays}, by default {@link
 * Backoff.Delays#DEFAULT}: doubling from its initial delay up to its maximum, back to the initial
 * delay after a pass that was not deferred); a new desired state or a re-check meanwhile runs at
 * once and takes the retry's place.
 *
 * <p>A new desired state that the validator rejects changes nothing: the loop keeps the last good
 * one (drift is still repaired against it) and logs the validator's errors. A re-check whose plan
 * has changes, or refuses a PF the previous pass did not refuse, is a drift repair: counted in
 * {@code sriov.drift.repairs} ({@code sriov_drift_repairs_total}) with {@code
 * result=succeeded|failed}, and logged with the drifted PFs' plan; a refusal already in force (an
 * externally managed PF that does not match) is not counted again at every re-check.
 */
public final class ReconcileLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);

  /** The drift repairs counter's name (Prometheus: {@code sriov_drift_repairs_total}). */
  public static final String DRIFT_REPAIRS = "sriov.drift.repairs";

  /** Why a pass ran. */
  public enum Cause {
    /** A new desired state. */
    DESIRED_CHANGED,
    /** Events on the node: re-check the last good desired state, repair what drifted. */
    DRIFT,
    /** The last pass was deferred by the drain gate: ask again. */
    RETRY
  }

  /** Gets every pass on the loop's thread; must not block for long. */
  @FunctionalInterface
  public interface Listener {
    void passed(Cause cause, NodeEngine.Pass pass);
  }

  private final NodeEngine engine;
  private final DrainGate gate;
  private final Listener listener;
  private final Counter repairsSucceeded;
  private final Counter repairsFailed;
  private final Thread thread;
  private SriovNetworkNodeState lastGood;
  private SriovNetworkNodeState pendingDesired;
  private boolean recheckPending;
  private boolean running;
  private boolean closed;
  private long passes;
  private SriovNetworkNodeState deferred; // asked again at retryAt (System.nanoTime)
  private long retryAt;
  private final Backoff backoff; // of the deferred passes: the reason is its error
  private final Set<PciAddress> refused = new HashSet<>(); // by the last pass (loop thread)

  /**
   * Starts the loop's thread; no drain gate ({@link DrainGate#NONE}: the file mode).
   *
   * @param lastGood the desired state the first pass applied (validated)
   */
  public ReconcileLoop(
      NodeEngine engine, SriovNetworkNodeState lastGood, MeterRegistry meters, Listener listener) {
    this(engine, lastGood, DrainGate.NONE, Backoff.Delays.DEFAULT, meters, listener);
  }

  /**
   * Starts the loop's thread.
   *
   * @param lastGood the desired state drift is repaired against until a new one is accepted
   * @param gate asked by every pass whose plan disrupts VFs (the cluster's drain)
   * @param retry when a deferred pass is asked again
   */
  public ReconcileLoop(
      NodeEngine engine,
      SriovNetworkNodeState lastGood,
      DrainGate gate,
      Backoff.Delays retry,
      MeterRegistry meters,
      Listener listener) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.gate = Objects.requireNonNull(gate, "gate");
    this.backoff = new Backoff(Objects.requireNonNull(retry, "retry"));
    this.lastGood = Objects.requireNonNull(lastGood, "lastGood");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.repairsSucceeded = repairs(meters, "succeeded");
    this.repairsFailed = repairs(meters, "failed");
    this.thread = new Thread(this::loop, "sriov-node-reconcile");
    thread.setDaemon(true);
    thread.start();
  }

  private static Counter repairs(MeterRegistry meters, String result) {
    return Counter.builder(DRIFT_REPAIRS)
        .description(
            "Re-checks after node events that found drift and re-applied the desired state")
        .tag("result", result)
        .register(meters);
  }

  /** Queues a pass with {@code desired}; replaces one queued and not started yet. */
  public synchronized void desiredChanged(SriovNetworkNodeState desired) {
    pendingDesired = Objects.requireNonNull(desired, "desired");
    notifyAll();
  }

  /** Queues a re-check of the last good desired state (coalesced with any queued pass). */
  public synchronized void recheck() {
    recheckPending = true;
    notifyAll();
  }

  /** The desired state drift is repaired against: the last one the validator accepted. */
  public synchronized SriovNetworkNodeState lastGood() {
    return lastGood;
  }

  /** Passes run so far, for tests and logs. */
  public synchronized long passes() {
    return passes;
  }

  /** Whether a deferred pass waits for its retry. */
  public synchronized boolean retryPending() {
    return deferred != null;
  }

  /**
   * Waits until no pass is queued or running, or {@code millis} passed; true when idle. A retry
   * waiting for its backoff does not count as queued.
   */
  public synchronized boolean awaitIdle(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (pendingDesired != null || recheckPending || running) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  private void loop() {
    while (true) {
      Cause cause;
      SriovNetworkNodeState desired;
      synchronized (this) {
        while (!closed && pendingDesired == null && !recheckPending && !retryDue()) {
          try {
            if (deferred == null) {
              wait();
            } else {
              long nanos = retryAt - System.nanoTime();
              wait(Math.max(1, nanos / 1_000_000), 0);
            }
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        // A new desired state's pass repairs drift too: one pass for both.
        if (pendingDesired != null) {
          cause = Cause.DESIRED_CHANGED;
          desired = pendingDesired;
        } else if (recheckPending) {
          cause = Cause.DRIFT;
          desired = lastGood;
        } else {
          cause = Cause.RETRY;
          desired = deferred;
        }
        pendingDesired = null;
        recheckPending = false;
        deferred = null;
        running = true;
      }
      try {
        pass(cause, desired);
      } catch (RuntimeException e) {
        log.error("reconcile pass failed cause={} error=\"{}\"", cause, e.toString(), e);
      } finally {
        synchronized (this) {
          running = false;
          passes++;
          notifyAll();
        }
      }
    }
  }

  private boolean retryDue() {
    return deferred != null && System.nanoTime() - retryAt >= 0;
  }

  private void pass(Cause cause, SriovNetworkNodeState desired) {
    NodeEngine.Pass pass = engine.reconcile(desired, gate);
    retryIfDeferred(desired, pass);
    if (pass.desired().isEmpty()) {
      log.error(
          "desired state rejected, keeping the last good one cause={} error=\"{}\"",
          cause,
          pass.state().status().lastSyncError());
    } else if (cause != Cause.DRIFT) {
      synchronized (this) {
        lastGood = desired;
      }
      if (pass.deferred().isEmpty()) {
        log.info("desired state applied sync={}", pass.state().status().syncStatus());
      }
    } else if (pass.deferred().isPresent()) {
      log.debug("drift repair deferred");
    } else {
      countRepair(pass.plan().orElseThrow(), pass.report().orElseThrow());
    }
    if (pass.deferred().isEmpty()) {
      pass.plan().ifPresent(this::rememberRefusals);
    }
    listener.passed(cause, pass);
  }

  /**
   * A re-check's drift, counted as what happened: PFs whose plan had steps were repaired (failed
   * when one of them did not apply); a PF refused now that was not refused by the previous pass
   * drifted into a state the daemon cannot repair (failed). A refusal already in force (an
   * externally managed PF that does not match, unchanged) is no new drift: nothing was attempted,
   * nothing is counted.
   */
  private void countRepair(NodePlan plan, ApplyReport report) {
    List<PfPlan> drifted = new ArrayList<>();
    boolean ok = true;
    for (PfPlan p : plan.pfs()) {
      PciAddress a = p.observed().address();
      if (p.hasChanges()) {
        drifted.add(p);
        ok &= report.pf(a).map(PfResult::succeeded).orElse(false);
      } else if (p.failure().isPresent() && !refused.contains(a)) {
        drifted.add(p);
        ok = false;
      }
    }
    if (drifted.isEmpty()) {
      log.debug("re-check found no drift");
      return;
    }
    (ok ? repairsSucceeded : repairsFailed).increment();
    log.warn(
        "drift repaired result={} plan=\"{}\"",
        ok ? "succeeded" : "failed",
        new NodePlan(drifted).render().strip().replace("\n  ", "; ").replace("\n", "; "));
  }

  /**
   * The PFs the last pass refused: a later re-check counts only new refusals (a refused PF whose
   * reason changes while it stays refused, e.g. its VF count read mid-removal, is not new).
   */
  private void rememberRefusals(NodePlan plan) {
    refused.clear();
    for (PfPlan p : plan.pfs()) {
      if (p.failure().isPresent()) {
        refused.add(p.observed().address());
      }
    }
  }

  /** A deferred pass is asked again after the backoff; any other pass resets the backoff. */
  private synchronized void retryIfDeferred(SriovNetworkNodeState desired, NodeEngine.Pass pass) {
    if (pass.deferred().isEmpty()) {
      if (backoff.succeeded() > 0) {
        log.info("deferred apply went through");
      }
      return;
    }
    String reason = pass.deferred().get();
    long now = System.nanoTime();
    boolean changed = backoff.failed(reason, now);
    Duration wait = backoff.delay();
    if (changed) {
      log.info(
          "apply deferred, asking again with backoff inMs={} reason={}", wait.toMillis(), reason);
    } else {
      log.debug("apply still deferred inMs={} reason={}", wait.toMillis(), reason);
    }
    deferred = desired;
    retryAt = now + wait.toNanos();
  }

  /** Stops the loop after the running pass; idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
