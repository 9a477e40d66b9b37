package io.sriov.cluster.drain;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.OptionalInt;

/**
 * A {@code SriovNetworkPoolConfig}'s {@code spec.maxUnavailable}: how many nodes of the pool may
 * drain at once, as a count or a percentage of the pool's nodes (rounded down, as upstream's {@code
 * GetScaledValueFromIntOrPercent(..., false)}); absent means no limit.
 */
public sealed interface MaxUnavailable {

  /** No limit: every node of the pool may drain at once (upstream's nil). */
  record Unlimited() implements MaxUnavailable {}

  /** At most {@code nodes} nodes (0 lets none drain, as upstream). */
  record Count(int nodes) implements MaxUnavailable {
    public Count {
      if (nodes < 0) {
        throw new IllegalArgumentException("negative number is not allowed");
      }
    }
  }

  /** At most {@code percent}% of the pool's nodes, rounded down. */
  record Percent(int percent) implements MaxUnavailable {
    public Percent {
      if (percent < 1 || percent > 100) {
        throw new IllegalArgumentException(
            "invalid value: percentage needs to be between 1 and 100");
      }
    }
  }

  /** The default pool's limit: one node at a time. */
  MaxUnavailable ONE = new Count(1);

  /**
   * Reads the field as the API server stores it; {@code null} is {@link Unlimited}. Errors carry
   * upstream's messages.
   *
   * @throws IllegalArgumentException for a negative count, a string that is not {@code N%}, or a
   *     percentage outside 1-100
   */
  static MaxUnavailable of(IntOrString value) {
    if (value == null) {
      return new Unlimited();
    }
    if (value.getIntVal() != null) {
      return new Count(value.getIntVal());
    }
    String s = value.getStrVal();
    if (s == null || !s.endsWith("%")) {
      throw new IllegalArgumentException("invalid type: strings needs to be a percentage");
    }
    String digits = s.substring(0, s.length() - 1);
    int percent;
    try {
      percent = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid value \"" + s + "\": not an integer: \"" + digits + "\"");
    }
    return new Percent(percent);
  }

  /** How many nodes of a pool of {@code poolNodes} may drain at once; empty when unlimited. */
  default OptionalInt slots(int poolNodes) {
    return switch (this) {
      case Unlimited u -> OptionalInt.empty();
      case Count c -> OptionalInt.of(c.nodes());
      case Percent p -> OptionalInt.of(p.percent() * poolNodes / 100);
    };
  }

  /** As the user wrote it: {@code 10%}, {@code 2}, {@code unlimited}. */
  default String describe() {
    return switch (this) {
      case Unlimited u -> "unlimited";
      case Count c -> Integer.toString(c.nodes());
      case Percent p -> p.percent() + "%";
    };
  }
}
