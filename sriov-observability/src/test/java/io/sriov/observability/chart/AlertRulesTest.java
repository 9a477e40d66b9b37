package io.sriov.observability.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sriov.core.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alert rules ({@code charts/sriov-node/files/prometheus-rules.yaml}, a PrometheusRule)
 * through Debian's real {@code promtool}: {@code check rules} on its {@code spec.groups}, and
 * {@code test rules} with {@code alerts/prometheus-rules.test.yaml}, whose series make each alert
 * fire on one node and not on the nodes that come close (flapping, short dips, the neighbouring
 * state), with the expanded summary and description.
 */
class AlertRulesTest {
  static final Path RULES = Path.of("..", "charts", "sriov-node", "files", "prometheus-rules.yaml");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir Path tmp;
  JsonNode rule;

  @BeforeEach
  void extractGroups() throws IOException {
    Prerequisites.require(
        Files.isExecutable(PROMTOOL),
        "promtool",
        "apt-get install prometheus (.ci/run installs it)");
    rule = new YAMLMapper().readTree(RULES.toFile());
    // promtool reads a plain rule file: the PrometheusRule's spec.groups, as the operator does
    new YAMLMapper()
        .writeValue(
            tmp.resolve("rules.yaml").toFile(), Map.of("groups", rule.get("spec").get("groups")));
  }

  @Test
  void theFileIsAPrometheusRuleWithTheAlertsThatMatter() {
    assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.get("kind").asText()).isEqualTo("PrometheusRule");
    List<String> alerts = new ArrayList<>();
    rule.get("spec").findValues("alert").forEach(a -> alerts.add(a.asText()));
    assertThat(alerts)
        .containsExactly(
            "SriovNodeApplyFailed",
            "SriovNodeApplySlow",
            "SriovVfsUnhealthy",
            "SriovPoolExhausted",
            "SriovDevicePluginConfigFailing",
            "SriovDrainStuck");
  }

  @Test
  void promtoolChecksTheRulesWithoutAWarning() throws Exception {
    Run r = promtool("check", "rules", "rules.yaml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).isEqualTo("Checking rules.yaml\n  SUCCESS: 6 rules found\n\n");
  }

  @Test
  void promtoolUnitTestsFireEachAlertWhereItShouldOnly() throws Exception {
    copyResource("alerts/prometheus-rules.test.yaml", tmp.resolve("rules.test.yaml"));
    Run r = promtool("test", "rules", "rules.test.yaml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).isEqualTo("Unit Testing:  rules.test.yaml\n  SUCCESS\n\n");
    // every alert of the file has a test case (one that fires it)
    String tests = Files.readString(tmp.resolve("rules.test.yaml"));
    rule.get("spec")
        .findValues("alert")
        .forEach(a -> assertThat(tests).contains("alertname: " + a.asText() + "\n"));
  }

  @Test
  void aBrokenExpectationFailsTheUnitTests() throws Exception {
    // the harness itself can fail: the drain alert must not fire on n3 (applying, not draining)
    String tests =
        readResource("alerts/prometheus-rules.test.yaml")
            .replace(
                "alertname: SriovDrainStuck\n        exp_alerts: []",
                "alertname: SriovDrainStuck\n        exp_alerts:\n          - exp_labels: {severity: warning, instance: n3}");
    Files.writeString(tmp.resolve("broken.test.yaml"), tests);
    Run r = promtool("test", "rules", "broken.test.yaml");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("FAILED:").contains("alertname: SriovDrainStuck, time: 29m");
  }

  record Run(int exit, String output) {}

  Run promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(PROMTOOL.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  static String readResource(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            AlertRulesTest.class.getClassLoader().getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void copyResource(String name, Path to) throws IOException {
    Files.writeString(to, readResource(name));
  }
}
