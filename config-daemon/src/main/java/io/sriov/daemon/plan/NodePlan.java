package io.sriov.daemon.plan;

import io.sriov.daemon.observe.ObservedVf;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
   * The existing VFs this plan takes away from their holders, PF by PF in plan order, each VF once
   * (with the first step that disrupts it). A VF count or eswitch change (and so every reset)
   * disrupts all the PF's current VFs; a driver, VF MTU or admin MAC step disrupts its VF when the
   * VF exists now. PF MTU and link-up steps disrupt none. VFs the plan creates are new and held by
   * no one.
   */
  public List<DisruptedVf> disruptedVfs() {
    List<DisruptedVf> out = new ArrayList<>();
    for (PfPlan p : pfs) {
      Set<Integer> seen = new HashSet<>();
      for (Step s : p.steps()) {
        switch (s) {
          case Step.SetNumVfs n -> p.observed().vfs().forEach(v -> add(out, seen, p, v, s));
          case Step.SetEswitchMode m -> p.observed().vfs().forEach(v -> add(out, seen, p, v, s));
          case Step.BindVfDriver b ->
              p.observed().vf(b.vf()).ifPresent(v -> add(out, seen, p, v, s));
          case Step.SetVfMtu m -> p.observed().vf(m.vf()).ifPresent(v -> add(out, seen, p, v, s));
          case Step.PinVfMac m -> p.observed().vf(m.vf()).ifPresent(v -> add(out, seen, p, v, s));
          case Step.SetPfMtu m -> {}
          case Step.SetPfUp u -> {}
        }
      }
    }
    return List.copyOf(out);
  }

  private static void add(
      List<DisruptedVf> out, Set<Integer> seen, PfPlan p, ObservedVf v, Step s) {
    if (seen.add(v.index())) {
      out.add(
          new DisruptedVf(p.observed().address(), v.index(), v.device().address(), s.describe()));
    }
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
