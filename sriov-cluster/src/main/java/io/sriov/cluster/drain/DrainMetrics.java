package io.sriov.cluster.drain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The drain's meters on the registry the daemon gives (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code sriov.drain.state} {@code [sriov_drain_state{state}]}: 1 for the state the node's
 *       drain is in, 0 for the others ({@code idle}, {@code waiting} for a slot of its pool, {@code
 *       draining}, {@code applying} while the node engine applies on the drained node);
 *   <li>{@code sriov.drain.duration} {@code [sriov_drain_duration_seconds{result}]}: from cordon to
 *       the end of the evictions, {@code result} = {@code drained} | {@code timed_out} | {@code
 *       slot_lost} | {@code failed};
 *   <li>{@code sriov.drain.evictions} {@code [sriov_drain_evictions_total{result}]}: eviction
 *       requests, {@code result} = {@code evicted} | {@code refused}.
 * </ul>
 *
 * Every series is registered up front (a node that never drained shows counts of 0, not no series),
 * so dashboards and {@code increase()} see a node's first drain.
 */
public final class DrainMetrics {

  /** Where the node's drain is. */
  public enum State {
    IDLE,
    WAITING,
    DRAINING,
    APPLYING
  }

  /** The {@code result} of a drain's duration. */
  static final List<String> DRAIN_RESULTS = List.of("drained", "timed_out", "slot_lost", "failed");

  /** The {@code result} of an eviction request. */
  static final List<String> EVICTION_RESULTS = List.of("evicted", "refused");

  private final MeterRegistry registry;
  private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

  public DrainMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (State s : State.values()) {
      Gauge.builder("sriov.drain.state", state, r -> r.get() == s ? 1 : 0)
          .description("1 for the state the node's SR-IOV drain is in")
          .tag("state", s.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    DRAIN_RESULTS.forEach(r -> duration(r));
    EVICTION_RESULTS.forEach(r -> evictions(r));
  }

  public void state(State s) {
    state.set(Objects.requireNonNull(s, "s"));
  }

  public State state() {
    return state.get();
  }

  void drained(String result, Duration took) {
    duration(result).record(took);
  }

  void eviction(String result) {
    evictions(result).increment();
  }

  private Timer duration(String result) {
    return Timer.builder("sriov.drain.duration")
        .description("Time from cordon to the end of the evictions")
        .tag("result", result)
        .register(registry);
  }

  private Counter evictions(String result) {
    return Counter.builder("sriov.drain.evictions")
        .description("Eviction requests made by the SR-IOV drain")
        .tag("result", result)
        .register(registry);
  }
}
