package io.sriov.daemon.plan;

import java.util.List;

/** The plan for the node: one entry per PF that is configured or reset, in order. */
public record NodePlan(List<PfPlan> pfs) {
  public NodePlan {
    pfs = List.copyOf(pfs);
  }

  /** True when applying would change something on the node (or fail a PF). */
  public boolean hasChanges() {
    return pfs.stream().anyMatch(p -> p.hasChanges() || p.failure().isPresent());
  }

  /**
   * The plan as text, one block per PF, for {@code --plan}:
   *
   * <pre>
   * PF 0000:3b:00.0 (ens1f0): configure, 2 changes
   *   numVfs 4 -> 8: spec numVfs 8, the PF has 4 (...)
   * </pre>
   */
  public String render() {
    if (pfs.isEmpty()) {
      return "no PFs in the desired state, none to reset\n";
    }
    StringBuilder b = new StringBuilder();
    for (PfPlan p : pfs) {
      b.append("PF ").append(p.observed().label()).append(": ");
      b.append(p.action() == PfPlan.Action.RESET ? "reset" : "configure");
      if (p.externallyManaged()) {
        b.append(" (externally managed)");
      }
      if (p.failure().isPresent()) {
        b.append(", FAILS: ").append(p.failure().get()).append('\n');
        continue;
      }
      int n = p.steps().size();
      b.append(", ").append(n == 0 ? "no changes" : n + (n == 1 ? " change" : " changes"));
      b.append('\n');
      for (Step s : p.steps()) {
        b.append("  ").append(s.describe()).append(": ").append(s.reason()).append('\n');
      }
    }
    return b.toString();
  }
}
