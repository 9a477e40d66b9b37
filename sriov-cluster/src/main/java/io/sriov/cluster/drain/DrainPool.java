package io.sriov.cluster.drain;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The pool a node drains in: the {@code SriovNetworkPoolConfig} whose {@code nodeSelector} selects
 * it, or the implicit default pool (every node in no pool, one at a time).
 *
 * @param name the pool config's name; empty for the default pool
 * @param nodes how many nodes the pool has now
 */
public record DrainPool(String name, MaxUnavailable maxUnavailable, int nodes) {
  public DrainPool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(maxUnavailable, "maxUnavailable");
  }

  /** The default pool of {@code nodes} nodes. */
  public static DrainPool defaultPool(int nodes) {
    return new DrainPool("", MaxUnavailable.ONE, nodes);
  }

  public boolean isDefault() {
    return name.isEmpty();
  }

  /** How many of its nodes may drain at once; empty when unlimited. */
  public OptionalInt slots() {
    return maxUnavailable.slots(nodes);
  }

  /** For messages: {@code pool workers (maxUnavailable 10% of 20 nodes = 2)}. */
  public String describe() {
    String who = isDefault() ? "default pool" : "pool " + name;
    return who
        + " (maxUnavailable "
        + maxUnavailable.describe()
        + " of "
        + nodes
        + (nodes == 1 ? " node" : " nodes")
        + slots().stream().mapToObj(n -> " = " + n).findFirst().orElse("")
        + ")";
  }
}
