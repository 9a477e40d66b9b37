package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics Service, the ServiceMonitor, and the PrometheusRule and dashboard ConfigMap that
 * carry the files the observability work ships (files/prometheus-rules.yaml,
 * files/grafana-dashboard.json): rendered only when their file is there, whatever the values say.
 */
class MonitoringTest {
  private static final Map<String, Object> ALL_ON =
      Map.of(
          "metrics.serviceMonitor.enabled", true,
          "metrics.prometheusRule.enabled", true,
          "metrics.grafanaDashboard.enabled", true);

  @Test
  void aHeadlessServiceSelectsTheDaemonsOnTheMetricsPort() {
    RenderedChart chart = RenderedChart.render(Map.of());
    Service svc = chart.one(Service.class);
    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getSelector())
        .containsOnly(
            entry("app.kubernetes.io/name", "sriov-node"),
            entry("app.kubernetes.io/instance", "sriov"));
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(9808);
              assertThat(p.getTargetPort()).isEqualTo(new IntOrString("metrics"));
            });
    assertThat(chart.all(ServiceMonitor.class)).isEmpty();
    assertThat(chart.all(PrometheusRule.class)).isEmpty();
    assertThat(chart.all(ConfigMap.class)).isEmpty();
    assertThat(RenderedChart.render(Map.of("metrics.service.enabled", false)).all(Service.class))
        .isEmpty();
  }

  @Test
  void theServiceMonitorScrapesTheServicesMetricsPort() {
    ServiceMonitor sm =
        RenderedChart.render(
                Map.of(
                    "metrics.serviceMonitor.enabled",
                    true,
                    "metrics.serviceMonitor.labels.release",
                    "kube-prometheus"))
            .one(ServiceMonitor.class);
    assertThat(sm.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
    assertThat(sm.getSpec().getSelector().getMatchLabels())
        .containsOnly(
            entry("app.kubernetes.io/name", "sriov-node"),
            entry("app.kubernetes.io/instance", "sriov"));
    assertThat(sm.getSpec().getNamespaceSelector().getMatchNames())
        .containsExactly(RenderedChart.NAMESPACE);
    assertThat(sm.getSpec().getEndpoints())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getPort()).isEqualTo("metrics");
              assertThat(e.getPath()).isEqualTo("/metrics");
              assertThat(e.getInterval()).isEqualTo("30s");
            });
  }

  @Test
  void aServiceMonitorWithoutTheServiceFailsWithAMessage() {
    assertThatThrownBy(
            () ->
                RenderedChart.template(
                    RenderedChart.chartDir(),
                    Map.of(
                        "metrics.serviceMonitor.enabled", true,
                        "metrics.service.enabled", false)))
        .hasMessageContaining(
            "metrics.serviceMonitor.enabled needs metrics.service.enabled: the ServiceMonitor"
                + " selects the metrics Service");
  }

  @Test
  void withoutTheObservabilityFilesNeitherRuleNorDashboardIsRendered(@TempDir Path tmp)
      throws IOException {
    Path chart = ChartLintTest.copyChart(tmp);
    deleteIfExists(chart.resolve("files"));
    RenderedChart rendered = RenderedChart.parse(RenderedChart.template(chart, ALL_ON));
    assertThat(rendered.all(PrometheusRule.class)).isEmpty();
    assertThat(rendered.all(ConfigMap.class)).isEmpty();
    assertThat(rendered.all(ServiceMonitor.class)).hasSize(1);
  }

  @Test
  void theRuleAndDashboardCarryTheFilesWhenTheyAreThereAndEnabled(@TempDir Path tmp)
      throws IOException {
    Path chart = ChartLintTest.copyChart(tmp);
    Files.createDirectories(chart.resolve("files"));
    Files.writeString(
        chart.resolve("files/prometheus-rules.yaml"),
        """
        groups:
          - name: sriov-node
            rules:
              - alert: SriovApplyFailed
                expr: increase(sriov_apply_runs_total{result="failed"}[10m]) > 0
                for: 5m
                labels:
                  severity: warning
                annotations:
                  summary: The SR-IOV apply failed on {{ $labels.node }}
        """);
    String dashboard = "{\n  \"title\": \"SR-IOV node\",\n  \"panels\": []\n}";
    Files.writeString(chart.resolve("files/grafana-dashboard.json"), dashboard);

    RenderedChart on = RenderedChart.parse(RenderedChart.template(chart, ALL_ON));
    PrometheusRule rule = on.one(PrometheusRule.class);
    assertThat(rule.getSpec().getGroups())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.getName()).isEqualTo("sriov-node");
              assertThat(g.getRules())
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.getAlert()).isEqualTo("SriovApplyFailed");
                        assertThat(r.getFor()).isEqualTo("5m");
                        assertThat(r.getAnnotations())
                            .containsEntry(
                                "summary", "The SR-IOV apply failed on {{ $labels.node }}");
                      });
            });
    ConfigMap cm = on.one(ConfigMap.class);
    assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(cm.getData()).containsExactly(entry("sriov-node.json", dashboard));

    // The same alerts written as a whole PrometheusRule object: its spec is taken.
    Files.writeString(
        chart.resolve("files/prometheus-rules.yaml"),
        """
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: ignored
        spec:
          groups:
            - name: sriov-node-object
              rules:
                - alert: SriovApplyFailed
                  expr: sriov_apply_failing == 1
        """);
    PrometheusRule fromObject =
        RenderedChart.parse(RenderedChart.template(chart, ALL_ON)).one(PrometheusRule.class);
    assertThat(fromObject.getMetadata().getName()).isEqualTo("sriov-sriov-node");
    assertThat(fromObject.getSpec().getGroups())
        .singleElement()
        .satisfies(g -> assertThat(g.getName()).isEqualTo("sriov-node-object"));

    RenderedChart off = RenderedChart.parse(RenderedChart.template(chart, Map.of()));
    assertThat(off.all(PrometheusRule.class)).isEmpty();
    assertThat(off.all(ConfigMap.class)).isEmpty();
  }

  private static void deleteIfExists(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
