package io.sriov.daemon.engine;

import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.desired.InvalidNodeStateException;
import io.sriov.daemon.desired.NodeStateValidator;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.observe.ObservedNode;
import io.sriov.daemon.ownership.OwnedPf;
import io.sriov.daemon.ownership.OwnershipStore;
import io.sriov.daemon.plan.DisruptedVf;
import io.sriov.daemon.plan.NodePlan;
import io.sriov.daemon.plan.Planner;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.state.SyncStatus;
import io.sriov.daemon.status.StatusReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of the node: validate the desired {@code SriovNetworkNodeState} against the
 * node, plan, apply, and report the status. The composition root calls it with the desired state
 * from wherever it comes (a file now, the cluster later) and publishes the returned object; the
 * engine itself knows neither. Not thread-safe: the caller serialises passes (one at a time per
 * node, as upstream's daemon does).
 */
public final class NodeEngine {
  private static final Logger log = LoggerFactory.getLogger(NodeEngine.class);

  private final NodeObserver observer;
  private final NodeStateValidator validator;
  private final Planner planner;
  private final Applier applier;
  private final OwnershipStore ownership;
  private final StatusReporter reporter;

  public NodeEngine(
      NodeObserver observer,
      NodeStateValidator validator,
      Planner planner,
      Applier applier,
      OwnershipStore ownership,
      StatusReporter reporter) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.applier = Objects.requireNonNull(applier, "applier");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
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
    ObservedNode before = observer.observe();
    DesiredNode d;
    try {
      d = validator.validate(desired.spec(), before.discovery());
    } catch (InvalidNodeStateException e) {
      log.warn("desired state rejected errors={}", e.errors().size());
      NodeStateStatus status =
          reporter.status(before, new DesiredNode(List.of()), SyncStatus.FAILED, e.getMessage());
      return new Pass(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          desired.withStatus(status));
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
    NodeStateStatus status = reporter.afterApply(observer.observe(), d, report);
    return new Pass(
        Optional.of(d),
        Optional.of(plan),
        Optional.of(report),
        Optional.empty(),
        desired.withStatus(status));
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
   * @param deferred why the drain gate deferred the apply; then nothing was changed
   * @param state the desired object with the new status
   */
  public record Pass(
      Optional<DesiredNode> desired,
      Optional<NodePlan> plan,
      Optional<ApplyReport> report,
      Optional<String> deferred,
      SriovNetworkNodeState state) {
    public Pass {
      Objects.requireNonNull(desired, "desired");
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(deferred, "deferred");
      Objects.requireNonNull(state, "state");
    }

    public boolean succeeded() {
      return report.map(ApplyReport::succeeded).orElse(false);
    }
  }
}
