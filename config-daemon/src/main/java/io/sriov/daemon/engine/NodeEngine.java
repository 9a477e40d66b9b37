package io.sriov.daemon.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.apply.PfResult;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.desired.InvalidNodeStateException;
import io.sriov.daemon.desired.NodeStateValidator;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.observe.ObservedNode;
import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.observe.ObservedVf;
import io.sriov.daemon.ownership.OwnedPf;
import io.sriov.daemon.ownership.OwnershipStore;
import io.sriov.daemon.plan.DisruptedVf;
import io.sriov.daemon.plan.NodePlan;
import io.sriov.daemon.plan.PfPlan;
import io.sriov.daemon.plan.Planner;
import io.sriov.daemon.plan.Step;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.state.SyncStatus;
import io.sriov.daemon.status.StatusReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of the node: validate the desired {@code SriovNetworkNodeState} against the
 * node, plan, apply, and report the status. The composition root calls it with the desired state
 * from wherever it comes (a file now, the cluster later) and publishes the returned object; the
 * engine itself knows neither. Not thread-safe: the caller serialises passes (one at a time per
 * node, as upstream's daemon does).
 *
 * <p>Meters: {@code sriov.apply.duration{result}} (a timer per pass, {@code result} succeeded,
 * failed or rejected: its count is the runs by result), {@code sriov.apply.failing} (1 while the
 * last pass did not succeed), {@code sriov.apply.vfs{pf}} (VFs on each PF of the plan after the
 * pass). Drift repairs are counted where re-checks come from: {@link ReconcileLoop}.
 */
public final class NodeEngine {
  private static final Logger log = LoggerFactory.getLogger(NodeEngine.class);

  private final NodeObserver observer;
  private final NodeStateValidator validator;
  private final Planner planner;
  private final Applier applier;
  private final OwnershipStore ownership;
  private final StatusReporter reporter;
  private final MeterRegistry meters;
  private final AtomicInteger failing = new AtomicInteger();
  private final Map<String, AtomicInteger> vfs = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private volatile boolean passFinished;

  public NodeEngine(
      NodeObserver observer,
      NodeStateValidator validator,
      Planner planner,
      Applier applier,
      OwnershipStore ownership,
      StatusReporter reporter,
      MeterRegistry meters) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.applier = Objects.requireNonNull(applier, "applier");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.meters = Objects.requireNonNull(meters, "meters");
    Gauge.builder("sriov.apply.failing", failing, AtomicInteger::get)
        .description("1 while the last apply pass did not succeed (failed or rejected).")
        .register(meters);
  }

  /** True once a {@link #reconcile} pass has finished, whatever its result (readiness). */
  public boolean passFinished() {
    return passFinished;
  }

  /**
   * What a pass would change, touching nothing ({@code --plan}).
   *
   * @throws InvalidNodeStateException when the spec does not fit the node
   * @throws UncheckedIOException when the ownership record cannot be read
   */
  public NodePlan plan(SriovNetworkNodeState desired) {
    ObservedNode observed = observer.observe();
    DesiredNode d = validator.validate(desired.spec(), observed.discovery());
    return planner.plan(d, observed, owned());
  }

  /**
   * A pass that only looks: the node observed, {@code desired} validated and planned against it,
   * nothing changed (no apply, no ownership record written, no drain asked). The result is shaped
   * as a deferred pass ({@code InProgress}, {@link Pass#deferred()} = {@code reason}, no report)
   * or, for a spec that no longer fits the node, a rejected one ({@code Failed}, the validator's
   * errors). It does not count as a finished pass ({@link #passFinished()}). The cluster mode's
   * first pass: the status of the node as it is, before the API server's desired state arrives.
   */
  public Pass observe(SriovNetworkNodeState desired, String reason) {
    Objects.requireNonNull(reason, "reason");
    ObservedNode before = observer.observe();
    DesiredNode d;
    try {
      d = validator.validate(desired.spec(), before.discovery());
    } catch (InvalidNodeStateException e) {
      return rejected(desired, before, e);
    }
    NodePlan plan = planner.plan(d, before, owned());
    NodeStateStatus status = reporter.status(before, d, SyncStatus.IN_PROGRESS, "");
    return new Pass(
        Optional.of(d),
        Optional.of(plan),
        Optional.empty(),
        Optional.of(reason),
        List.of(),
        desired.withStatus(status));
  }

  /**
   * Validates, plans, applies and reports, with no drain ({@link DrainGate#NONE}). An invalid spec
   * changes nothing and ends {@code Failed} with the validation errors as {@code lastSyncError}.
   */
  public Pass reconcile(SriovNetworkNodeState desired) {
    return reconcile(desired, DrainGate.NONE);
  }

  /**
   * Validates, plans, asks {@code gate} when the plan disrupts existing VFs, applies and reports.
   * An invalid spec changes nothing and ends {@code Failed}; a plan the gate defers changes nothing
   * and ends {@code InProgress} with {@link Pass#deferred()} saying why.
   */
  public Pass reconcile(SriovNetworkNodeState desired, DrainGate gate) {
    Objects.requireNonNull(gate, "gate");
    long start = System.nanoTime();
    Pass pass = pass(desired, gate);
    String result =
        pass.deferred().isPresent()
            ? "deferred"
            : pass.report().isEmpty() ? "rejected" : pass.succeeded() ? "succeeded" : "failed";
    timers
        .computeIfAbsent(
            result,
            r ->
                Timer.builder("sriov.apply.duration")
                    .description(
                        "Apply passes (validate, plan, drain gate, apply, report) by result.")
                    .tag("result", r)
                    .serviceLevelObjectives(SLO_BUCKETS)
                    .register(meters))
        .record(Duration.ofNanos(System.nanoTime() - start));
    if (pass.deferred().isEmpty()) {
      failing.set(pass.succeeded() ? 0 : 1);
      passFinished = true;
    }
    return pass;
  }

  /** Histogram buckets of an apply: from a no-op pass to a slow PF driver reload. */
  private static final Duration[] SLO_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(180)
  };

  private Pass pass(SriovNetworkNodeState desired, DrainGate gate) {
    ObservedNode before = observer.observe();
    DesiredNode d;
    try {
      d = validator.validate(desired.spec(), before.discovery());
    } catch (InvalidNodeStateException e) {
      log.warn("desired state rejected errors={}", e.errors().size());
      return rejected(desired, before, e);
    }
    NodePlan plan = planner.plan(d, before, owned());
    List<DisruptedVf> disrupted = plan.disruptedVfs();
    Runnable release = () -> {};
    if (!disrupted.isEmpty()) {
      switch (gate.admit(disrupted)) {
        case DrainGate.Admission.Deferred deferred -> {
          log.info("apply deferred disruptedVfs={} reason={}", disrupted.size(), deferred.reason());
          NodeStateStatus status = reporter.status(before, d, SyncStatus.IN_PROGRESS, "");
          return new Pass(
              Optional.of(d),
              Optional.of(plan),
              Optional.empty(),
              Optional.of(deferred.reason()),
              List.of(),
              desired.withStatus(status));
        }
        case DrainGate.Admission.Proceed proceed -> release = proceed.release();
      }
    }
    ApplyReport report;
    try {
      report = applier.apply(plan);
    } finally {
      release.run();
    }
    ObservedNode after = after(before, report);
    record(plan, after);
    NodeStateStatus status = reporter.afterApply(after, d, report);
    return new Pass(
        Optional.of(d),
        Optional.of(plan),
        Optional.of(report),
        Optional.empty(),
        removedVfs(plan, after),
        desired.withStatus(status));
  }

  /**
   * The node after {@code report}: the observation the plan was made from, with each PF the apply
   * changed as the apply left it ({@link PfResult#after()}: its last read of the PF and the changes
   * it verified since), instead of discovering the whole node again. PFs outside the plan were not
   * touched. A change someone else makes after the apply verified its own is a link or PCI event,
   * which the drift watch turns into a re-check that finds and repairs it. Only when the apply
   * could not read a PF it changed is the node observed again.
   */
  private ObservedNode after(ObservedNode before, ApplyReport report) {
    List<ObservedPf> changed = new ArrayList<>();
    for (PfResult r : report.pfs()) {
      if (r.outcome() == PfResult.Outcome.UNCHANGED || r.outcome() == PfResult.Outcome.REJECTED) {
        continue;
      }
      if (r.after().isEmpty()) {
        return observer.observe();
      }
      changed.add(r.after().get());
    }
    return changed.isEmpty() ? before : before.with(changed);
  }

  private Pass rejected(
      SriovNetworkNodeState desired, ObservedNode before, InvalidNodeStateException e) {
    NodeStateStatus status =
        reporter.status(before, new DesiredNode(List.of()), SyncStatus.FAILED, e.getMessage());
    return new Pass(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        desired.withStatus(status));
  }

  /**
   * The VFs this pass removed on purpose: of each PF whose VF count (or eswitch mode, or reset) the
   * plan changed, the VFs it had before that are not on it after (fewer VFs). VFs re-created with
   * the same address (0 then N) are not removed; VFs of PFs the plan did not re-create never count,
   * so a VF that vanished by itself keeps the device plugin's gone retention.
   */
  static List<PciAddress> removedVfs(NodePlan plan, ObservedNode after) {
    List<PciAddress> removed = new ArrayList<>();
    for (PfPlan p : plan.pfs()) {
      boolean recreates =
          p.steps().stream()
              .anyMatch(s -> s instanceof Step.SetNumVfs || s instanceof Step.SetEswitchMode);
      Optional<ObservedPf> now = after.pf(p.observed().address());
      if (!recreates || now.isEmpty()) {
        continue;
      }
      Set<PciAddress> present = new HashSet<>();
      now.get().vfs().forEach(v -> present.add(v.device().address()));
      for (ObservedVf v : p.observed().vfs()) {
        if (!present.contains(v.device().address())) {
          removed.add(v.device().address());
        }
      }
    }
    return List.copyOf(removed);
  }

  /** VFs per PF after the pass. */
  private void record(NodePlan plan, ObservedNode after) {
    for (PfPlan p : plan.pfs()) {
      PciAddress a = p.observed().address();
      String pf = p.observed().name().map(Object::toString).orElse(a.toString());
      int n = after.pf(a).map(ObservedPf::numVfs).orElse(0);
      vfs.computeIfAbsent(
              pf,
              k -> {
                AtomicInteger v = new AtomicInteger();
                Gauge.builder("sriov.apply.vfs", v, AtomicInteger::get)
                    .description("VFs on the PF after the last apply pass that planned it.")
                    .tag("pf", k)
                    .register(meters);
                return v;
              })
          .set(n);
    }
  }

  private Map<PciAddress, OwnedPf> owned() {
    try {
      return ownership.owned();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What one pass did.
   *
   * @param desired the validated spec; empty when the spec was rejected
   * @param plan empty when the spec was rejected
   * @param report empty when the spec was rejected or the drain gate deferred the apply
   * @param deferred why the drain gate deferred the apply (or why the pass only observed, {@link
   *     #observe}); then nothing was changed
   * @param removedVfs the VFs the apply removed on purpose (a PF given fewer VFs, or reset): gone
   *     for good, not vanished ({@link #removedVfs(NodePlan, ObservedNode)})
   * @param state the desired object with the new status
   */
  public record Pass(
      Optional<DesiredNode> desired,
      Optional<NodePlan> plan,
      Optional<ApplyReport> report,
      Optional<String> deferred,
      List<PciAddress> removedVfs,
      SriovNetworkNodeState state) {
    public Pass {
      Objects.requireNonNull(desired, "desired");
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(deferred, "deferred");
      removedVfs = List.copyOf(removedVfs);
      Objects.requireNonNull(state, "state");
    }

    public boolean succeeded() {
      return report.map(ApplyReport::succeeded).orElse(false);
    }
  }
}
