package io.sriov.cni.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The names and labels a Prometheus scrape shows. */
class CniMetricsTest {
  @Test
  void aScrapeHasLatencyHistogramsByPluginCommandAndResultAndTheRefusals() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CniMetrics metrics = new CniMetrics(registry);
    metrics.started();
    metrics.finished("sriov", "ADD", 0, Duration.ofMillis(12));
    metrics.started();
    metrics.finished("bond", "DEL", 1, Duration.ofMillis(3));
    metrics.started();
    metrics.finished("sriov", "../../etc", 1, Duration.ofMillis(1));
    metrics.started();
    metrics.refused(CniMetrics.Refusal.BUSY);
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "sriov_cni_requests_seconds_bucket{command=\"ADD\",plugin=\"sriov\",result=\"success\",le=\"0.001\"} 0",
            "sriov_cni_requests_seconds_bucket{command=\"ADD\",plugin=\"sriov\",result=\"success\",le=\"+Inf\"} 1",
            "sriov_cni_requests_seconds_count{command=\"ADD\",plugin=\"sriov\",result=\"success\"} 1",
            "sriov_cni_requests_seconds_count{command=\"DEL\",plugin=\"bond\",result=\"error\"} 1",
            "sriov_cni_requests_seconds_count{command=\"invalid\",plugin=\"sriov\",result=\"error\"} 1",
            "sriov_cni_refused_total{reason=\"busy\"} 1.0",
            "sriov_cni_refused_total{reason=\"peer\"} 0.0",
            "sriov_cni_refused_total{reason=\"malformed\"} 0.0",
            "sriov_cni_refused_total{reason=\"unknown-plugin\"} 0.0",
            "# HELP sriov_cni_inflight CNI calls running now",
            "sriov_cni_inflight 1.0");
  }
}
