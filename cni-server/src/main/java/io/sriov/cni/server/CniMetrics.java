package io.sriov.cni.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CNI server's meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code sriov.cni.requests} [{@code sriov_cni_requests_seconds_bucket/_count/_sum}]: a timer
 *       with a latency histogram per {@code plugin}, {@code command} (ADD, DEL, CHECK, GC, STATUS,
 *       VERSION, or {@code invalid}) and {@code result} ({@code success}: exit status 0, else
 *       {@code error}), from the request read to the answer ready;
 *   <li>{@code sriov.cni.refused} [{@code sriov_cni_refused_total}]: calls refused before any
 *       plugin ran, per {@code reason} ({@code peer}, {@code malformed}, {@code unknown-plugin},
 *       {@code busy});
 *   <li>{@code sriov.cni.inflight} [{@code sriov_cni_inflight}]: calls running now.
 * </ul>
 */
final class CniMetrics {
  static final String REQUESTS = "sriov.cni.requests";
  static final String REFUSED = "sriov.cni.refused";
  static final String INFLIGHT = "sriov.cni.inflight";

  private static final Set<String> COMMANDS =
      Set.of("ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION");

  /** Why a call was refused before it reached a plugin. */
  enum Refusal {
    PEER,
    MALFORMED,
    UNKNOWN_PLUGIN,
    BUSY;

    String tag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final MeterRegistry registry;
  private final AtomicInteger inflight = new AtomicInteger();

  CniMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(INFLIGHT, inflight, AtomicInteger::get)
        .description("CNI calls running now")
        .register(registry);
    for (Refusal r : Refusal.values()) {
      counter(r); // present at 0 from the start
    }
  }

  void started() {
    inflight.incrementAndGet();
  }

  void finished(String plugin, String command, int exitStatus, Duration took) {
    inflight.decrementAndGet();
    Timer.builder(REQUESTS)
        .description("CNI calls served by the daemon, by plugin, command and result")
        .tag("plugin", plugin)
        .tag("command", commandTag(command))
        .tag("result", exitStatus == 0 ? "success" : "error")
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  void refused(Refusal reason) {
    counter(reason).increment();
  }

  private Counter counter(Refusal reason) {
    return Counter.builder(REFUSED)
        .description("CNI calls refused before a plugin ran, by reason")
        .tag("reason", reason.tag())
        .register(registry);
  }

  /** The command as a tag: one of the spec's, or {@code invalid} (bounded cardinality). */
  static String commandTag(String command) {
    return command != null && COMMANDS.contains(command) ? command : "invalid";
  }
}
