package io.sriov.daemon.apply;

import io.sriov.core.value.PciAddress;
import io.sriov.daemon.plan.PfPlan;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an apply did, per PF, in plan order. */
public record ApplyReport(List<PfResult> pfs) {
  public ApplyReport {
    pfs = List.copyOf(pfs);
  }

  public boolean succeeded() {
    return pfs.stream().allMatch(PfResult::succeeded);
  }

  public Optional<PfResult> pf(PciAddress a) {
    return pfs.stream().filter(p -> p.pf().equals(a)).findFirst();
  }

  /**
   * The failures as one line each, {@code <pf>: <step>: <errno>: <message>}, joined by {@code ; }
   * (upstream's {@code lastSyncError}); empty when every PF applied.
   */
  public String errorSummary() {
    return pfs.stream()
        .filter(p -> p.failure().isPresent())
        .map(p -> p.pf() + ": " + p.failure().get().describe())
        .collect(Collectors.joining("; "));
  }

  /** One line per PF, plus the undo problems, for the apply report. */
  public String render() {
    if (pfs.isEmpty()) {
      return "nothing to apply\n";
    }
    StringBuilder b = new StringBuilder();
    for (PfResult p : pfs) {
      b.append("PF ").append(p.label()).append(": ");
      int n = p.applied().size();
      switch (p.outcome()) {
        case UNCHANGED -> b.append("unchanged");
        case APPLIED ->
            b.append(p.action() == PfPlan.Action.RESET ? "reset, " : "applied ")
                .append(n)
                .append(n == 1 ? " change" : " changes");
        case REJECTED -> b.append("FAILED, untouched: ").append(p.failure().get().describe());
        case ROLLED_BACK ->
            b.append("FAILED at ")
                .append(p.failure().get().describe())
                .append("; rolled back (")
                .append(n)
                .append(n == 1 ? " step undone)" : " steps undone)");
        case ROLLBACK_FAILED ->
            b.append("FAILED at ")
                .append(p.failure().get().describe())
                .append("; ROLLBACK INCOMPLETE: ")
                .append(String.join("; ", p.rollbackProblems()));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
