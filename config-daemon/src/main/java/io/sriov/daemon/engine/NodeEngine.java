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
   * Validates, plans, applies and reports. An invalid spec changes nothing and ends {@code Failed}
   * with the validation errors as {@code lastSyncError}.
   */
  public Pass reconcile(SriovNetworkNodeState desired) {
    ObservedNode before = observer.observe();
    DesiredNode d;
    try {
      d = validator.validate(desired.spec(), before.discovery());
    } catch (InvalidNodeStateException e) {
      log.warn("desired state rejected errors={}", e.errors().size());
      NodeStateStatus status =
          reporter.status(before, new DesiredNode(List.of()), SyncStatus.FAILED, e.getMessage());
      return new Pass(
          Optional.empty(), Optional.empty(), Optional.empty(), desired.withStatus(status));
    }
    NodePlan plan = planner.plan(d, before, owned());
    ApplyReport report = applier.apply(plan);
    NodeStateStatus status = reporter.afterApply(observer.observe(), d, report);
    return new Pass(
        Optional.of(d), Optional.of(plan), Optional.of(report), desired.withStatus(status));
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
   * @param report empty when the spec was rejected
   * @param state the desired object with the new status
   */
  public record Pass(
      Optional<DesiredNode> desired,
      Optional<NodePlan> plan,
      Optional<ApplyReport> report,
      SriovNetworkNodeState state) {
    public Pass {
      Objects.requireNonNull(desired, "desired");
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(state, "state");
    }

    public boolean succeeded() {
      return report.map(ApplyReport::succeeded).orElse(false);
    }
  }
}
