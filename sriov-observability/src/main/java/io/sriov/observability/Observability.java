package io.sriov.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sriov.observability.health.Health;
import io.sriov.observability.http.MetricsServer;
import io.sriov.observability.text.TextExposition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's metrics and health: one Micrometer registry in the Prometheus format that every part
 * adds its meters to ({@link #registry}, meters under {@code sriov.}), the JVM's and process's
 * meters, the scrape-time node metrics ({@link NodeCollector}), the liveness and readiness checks,
 * and the one HTTP listener serving {@code /metrics}, {@code /healthz} and {@code /readyz}.
 */
public final class Observability implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Observability.class);

  /** The Prometheus text format (0.0.4), what {@code /metrics} answers. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final Health liveness = new Health();
  private final Health readiness = new Health();
  private ScheduledExecutorService refresher;
  private MetricsServer server;
  private boolean closed;
  private volatile int lastSize = 64 * 1024;
  private volatile NodeCollector node;

  public Observability() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
  }

  /** Where the daemon's parts register their meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** {@code /healthz}: is the process and are its event loops alive. */
  public Health liveness() {
    return liveness;
  }

  /** {@code /readyz}: may the daemon take traffic (first apply done, device plugin registered). */
  public Health readiness() {
    return readiness;
  }

  /**
   * Adds the scrape-time node metrics; reads the VF inventory now and then every {@code refresh} on
   * a daemon thread (the composition root also refreshes it after each apply).
   */
  public synchronized void collect(NodeCollector node, Duration refresh) {
    Objects.requireNonNull(node, "node");
    if (refresher != null) {
      throw new IllegalStateException("node metrics are already collected");
    }
    node.refreshInventory();
    this.node = node;
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sriov-metrics-inventory");
              t.setDaemon(true);
              return t;
            });
    refresher.scheduleWithFixedDelay(
        () -> {
          try {
            node.refreshInventory();
          } catch (RuntimeException e) {
            log.warn("VF inventory refresh failed error=\"{}\"", e.toString());
          }
        },
        refresh.toMillis(),
        refresh.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The exposition {@code /metrics} answers now, as text. */
  public String scrape() {
    Exposition e = exposition();
    return new String(e.bytes(), 0, e.length(), StandardCharsets.UTF_8);
  }

  /**
   * An exposition in the Prometheus text format: the first {@code length} bytes of {@code bytes}.
   */
  public record Exposition(byte[] bytes, int length) {
    public Exposition {
      Objects.checkFromIndexSize(0, length, bytes.length);
    }
  }

  /**
   * The exposition {@code /metrics} sends now, written straight into a buffer sized by the previous
   * scrape and sent from it: an exposition of a few hundred KB is not copied at each doubling of a
   * buffer, nor into a String and back into bytes, nor into an array of its exact size. The node's
   * metrics are read first (so their read errors count in this scrape's meters) and written after
   * the registry's meters by {@link NodeCollector.Reading#writeTo}, their many series from labels
   * encoded once rather than through a data point and a label map per series.
   */
  public Exposition exposition() {
    NodeCollector n = node;
    NodeCollector.Reading reading = n == null ? null : n.read();
    TextExposition out = new TextExposition(lastSize);
    try {
      registry.scrape(out, CONTENT_TYPE, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte buffer does not throw
    }
    if (reading != null) {
      reading.writeTo(out);
    }
    lastSize = out.size() + out.size() / 64;
    return new Exposition(out.array(), out.size());
  }

  /**
   * Serves {@code /metrics}, {@code /healthz} and {@code /readyz} on {@code bind} (port 0: any).
   *
   * @return the bound address
   * @throws java.io.UncheckedIOException when the address cannot be bound
   */
  public synchronized InetSocketAddress serve(InetSocketAddress bind, MetricsServer.Limits limits) {
    if (server != null) {
      throw new IllegalStateException("already serving on " + server.address());
    }
    server =
        MetricsServer.start(
            bind,
            limits,
            Map.of(
                "/metrics",
                () -> {
                  Exposition e = exposition();
                  return new MetricsServer.Response(200, CONTENT_TYPE, e.bytes(), e.length());
                },
                "/healthz",
                () -> answer(liveness.report()),
                "/readyz",
                () -> answer(readiness.report())));
    return server.address();
  }

  private static MetricsServer.Response answer(Health.Report r) {
    return MetricsServer.Response.text(r.ok() ? 200 : 503, r.render());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      server.close();
    }
    if (refresher != null) {
      refresher.shutdownNow();
    }
    gc.close();
    registry.close();
  }
}
