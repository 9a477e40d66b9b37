package io.sriov.cluster.select;

import io.sriov.cluster.api.SriovNetworkPoolConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which {@link SriovNetworkPoolConfig} a node belongs to: the one whose {@code nodeSelector}
 * selects its labels. A node in several pools is a configuration error (upstream: "a node must
 * belong to at most one pool"); a node in none belongs to the default pool.
 */
public final class NodePools {
  private NodePools() {}

  /** The outcome: the node's pool, none (default pool), or a conflict naming the pools. */
  public sealed interface Membership {
    /** The node is in exactly this pool. */
    record InPool(SriovNetworkPoolConfig pool) implements Membership {}

    /** The node is in no pool: the default pool (maxUnavailable 1). */
    record DefaultPool() implements Membership {}

    /** The node is selected by several pools; {@code message} names them. */
    record Conflict(List<String> pools, String message) implements Membership {}
  }

  /** The membership of a node with {@code labels} among {@code pools}. */
  public static Membership of(Map<String, String> labels, List<SriovNetworkPoolConfig> pools) {
    List<SriovNetworkPoolConfig> matching =
        pools.stream()
            .filter(
                p ->
                    p.getSpec() != null
                        && LabelSelectors.matches(p.getSpec().nodeSelector(), labels))
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    if (matching.isEmpty()) {
      return new Membership.DefaultPool();
    }
    if (matching.size() == 1) {
      return new Membership.InPool(matching.get(0));
    }
    List<String> names = matching.stream().map(p -> p.getMetadata().getName()).toList();
    return new Membership.Conflict(
        names,
        "node selected by SriovNetworkPoolConfigs "
            + String.join(", ", names)
            + ": a node must belong to at most one pool");
  }

  /** {@link #of} as an Optional pool, empty for the default pool and for a conflict. */
  public static Optional<SriovNetworkPoolConfig> poolOf(
      Map<String, String> labels, List<SriovNetworkPoolConfig> pools) {
    return of(labels, pools) instanceof Membership.InPool in
        ? Optional.of(in.pool())
        : Optional.empty();
  }
}
