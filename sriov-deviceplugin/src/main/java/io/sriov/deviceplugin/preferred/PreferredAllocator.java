package io.sriov.deviceplugin.preferred;

import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.device.Device;
import io.sriov.deviceplugin.allocate.PreparedDevice;
import io.sriov.deviceplugin.allocate.PreparedPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers {@code GetPreferredAllocation}: keeps the must-include devices, then prefers one NUMA
 * node (the must-include devices' node, else the node with the most available devices), and within
 * it follows the pool's {@link AllocationPolicy}: {@code spread} takes devices from the PF with the
 * fewest devices chosen so far, {@code pack} fills the PFs already used first, then the PF that
 * fits the rest most tightly. Devices of other NUMA nodes, then IDs the pool does not know, come
 * last. Deterministic: ties are broken by ID.
 */
public final class PreferredAllocator {

  private static final int NO_NUMA = -1;

  public List<String> choose(
      PreparedPool pool, List<String> available, List<String> mustInclude, int size) {
    LinkedHashSet<String> chosen = new LinkedHashSet<>(mustInclude);
    if (chosen.size() >= size) {
      return new ArrayList<>(chosen);
    }
    boolean useNuma = !pool.spec().excludeTopology();
    List<Candidate> known = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String id : new LinkedHashSet<>(available)) {
      if (chosen.contains(id)) {
        continue;
      }
      PreparedDevice d = pool.devices().get(id);
      if (d == null) {
        unknown.add(id);
      } else {
        known.add(new Candidate(id, useNuma ? numa(d.device()) : NO_NUMA, pfKey(d.device())));
      }
    }
    known.sort(Comparator.comparing(Candidate::id));
    unknown.sort(null);

    Map<String, Integer> perPf = new HashMap<>();
    Map<Integer, Integer> numaOfChosen = new TreeMap<>();
    for (String id : chosen) {
      PreparedDevice d = pool.devices().get(id);
      if (d != null) {
        perPf.merge(pfKey(d.device()), 1, Integer::sum);
        if (useNuma) {
          numaOfChosen.merge(numa(d.device()), 1, Integer::sum);
        }
      }
    }
    // NUMA groups in preference order.
    Map<Integer, List<Candidate>> byNuma = new LinkedHashMap<>();
    for (Candidate c : known) {
      byNuma.computeIfAbsent(c.numa, k -> new ArrayList<>()).add(c);
    }
    List<Integer> numaOrder = new ArrayList<>(byNuma.keySet());
    numaOrder.sort(
        Comparator.<Integer>comparingInt(n -> -numaOfChosen.getOrDefault(n, 0))
            .thenComparingInt(n -> -byNuma.get(n).size())
            .thenComparingInt(n -> n));
    for (int n : numaOrder) {
      if (chosen.size() >= size) {
        break;
      }
      take(byNuma.get(n), chosen, perPf, size, pool.spec().policy());
    }
    for (String id : unknown) {
      if (chosen.size() >= size) {
        break;
      }
      chosen.add(id);
    }
    return new ArrayList<>(chosen);
  }

  private static void take(
      List<Candidate> group,
      Set<String> chosen,
      Map<String, Integer> perPf,
      int size,
      AllocationPolicy policy) {
    Map<String, List<Candidate>> byPf = new TreeMap<>();
    for (Candidate c : group) {
      byPf.computeIfAbsent(c.pf, k -> new ArrayList<>()).add(c);
    }
    Map<String, Integer> next = new HashMap<>();
    while (chosen.size() < size) {
      String best = null;
      for (Map.Entry<String, List<Candidate>> e : byPf.entrySet()) {
        String pf = e.getKey();
        int left = e.getValue().size() - next.getOrDefault(pf, 0);
        if (left <= 0) {
          continue;
        }
        if (best == null || better(policy, pf, best, byPf, next, perPf, size - chosen.size())) {
          best = pf;
        }
      }
      if (best == null) {
        return;
      }
      int i = next.getOrDefault(best, 0);
      chosen.add(byPf.get(best).get(i).id);
      next.put(best, i + 1);
      perPf.merge(best, 1, Integer::sum);
    }
  }

  /** True when PF {@code a} should be taken from before PF {@code b}. */
  private static boolean better(
      AllocationPolicy policy,
      String a,
      String b,
      Map<String, List<Candidate>> byPf,
      Map<String, Integer> next,
      Map<String, Integer> perPf,
      int need) {
    int usedA = perPf.getOrDefault(a, 0);
    int usedB = perPf.getOrDefault(b, 0);
    int leftA = byPf.get(a).size() - next.getOrDefault(a, 0);
    int leftB = byPf.get(b).size() - next.getOrDefault(b, 0);
    if (policy == AllocationPolicy.SPREAD) {
      if (usedA != usedB) {
        return usedA < usedB;
      }
      if (leftA != leftB) {
        return leftA > leftB;
      }
      return a.compareTo(b) < 0;
    }
    // PACK: a PF already in use first, then the tightest PF that fits the rest, else the largest.
    boolean inUseA = usedA > 0;
    boolean inUseB = usedB > 0;
    if (inUseA != inUseB) {
      return inUseA;
    }
    boolean fitsA = leftA >= need;
    boolean fitsB = leftB >= need;
    if (fitsA != fitsB) {
      return fitsA;
    }
    if (leftA != leftB) {
      return fitsA ? leftA < leftB : leftA > leftB;
    }
    return a.compareTo(b) < 0;
  }

  private static int numa(Device d) {
    return d.numaNode().orElse(NO_NUMA);
  }

  private static String pfKey(Device d) {
    return d.pfAddress().map(Object::toString).orElse(d.id());
  }

  private record Candidate(String id, int numa, String pf) {}
}
