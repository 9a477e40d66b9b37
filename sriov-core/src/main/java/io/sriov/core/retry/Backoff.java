package io.sriov.core.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff for something retried until it succeeds: the first retry after {@code
 * initial}, each next one after twice the last, at most {@code max} apart. Also tells whether a
 * failure is new (a different error than the last one), so that a retried failure is logged once
 * per change of state rather than once per attempt. Not thread-safe: used under its owner's lock.
 */
public final class Backoff {

  /**
   * A backoff's settings: the first retry after {@code initial}, each next one after twice the
   * last, at most {@code max} apart. What a component that retries takes as its configuration.
   */
  public record Delays(Duration initial, Duration max) {
    /** 1 s doubling to 30 s: the daemon's retries of the API server and of a deferred apply. */
    public static final Delays DEFAULT = new Delays(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Delays {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "backoff delays must be positive and initial <= max: " + initial + ", " + max);
      }
    }
  }

  private final Duration initial;
  private final Duration max;
  private int failures;
  private long notBeforeNanos;
  private String lastError;

  public Backoff(Duration initial, Duration max) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
  }

  public Backoff(Delays delays) {
    this(delays.initial(), delays.max());
  }

  /** True when no failure is pending or its delay has passed. */
  public boolean due(long nowNanos) {
    return failures == 0 || nowNanos - notBeforeNanos >= 0;
  }

  /**
   * Records a failure at {@code nowNanos}.
   *
   * @return true when {@code error} differs from the previous failure's (log it), false for a
   *     repeat
   */
  public boolean failed(String error, long nowNanos) {
    failures++;
    notBeforeNanos = nowNanos + delay().toNanos();
    boolean changed = !error.equals(lastError);
    lastError = error;
    return changed;
  }

  /**
   * Records a success.
   *
   * @return how many failures preceded it (0: nothing was failing)
   */
  public int succeeded() {
    int n = failures;
    failures = 0;
    lastError = null;
    return n;
  }

  public int failures() {
    return failures;
  }

  /** The wait after the failures so far: initial × 2^(failures-1), capped at max. */
  public Duration delay() {
    if (failures == 0) {
      return Duration.ZERO;
    }
    Duration d = initial.multipliedBy(1L << Math.min(failures - 1, 30));
    return d.compareTo(max) > 0 || d.isNegative() ? max : d;
  }
}
