package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chart.yaml follows the project's version; the default render is exactly the expected objects. */
class ChartMetadataTest {

  @Test
  void chartAndAppVersionAreTheProjectVersion() throws IOException {
    JsonNode chart =
        new YAMLMapper().readTree(RenderedChart.chartDir().resolve("Chart.yaml").toFile());
    String version = System.getProperty("project.version");
    assertThat(version).as("system property project.version (set by the pom)").isNotBlank();
    assertThat(chart.path("version").asText()).isEqualTo(version);
    assertThat(chart.path("appVersion").asText()).isEqualTo(version);
    assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
  }

  @Test
  void theDefaultsRenderOneDaemonSetItsIdentityRbacPolicyAndService() {
    RenderedChart chart = RenderedChart.render(Map.of());
    assertThat(chart.kinds())
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Service",
            "DaemonSet",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
    for (HasMetadata o : chart.objects()) {
      assertThat(o.getMetadata().getLabels())
          .as("%s %s labels", o.getKind(), o.getMetadata().getName())
          .containsEntry("app.kubernetes.io/instance", "sriov")
          .containsEntry("app.kubernetes.io/managed-by", "Helm");
    }
  }

  @Test
  void theOperatorConfigIsRenderedOnlyWhenAskedWithTheDrainAndCdiSettings() {
    assertThat(RenderedChart.render(Map.of()).kinds()).doesNotContain("SriovOperatorConfig");
    String yaml =
        RenderedChart.template(
            RenderedChart.chartDir(),
            Map.of(
                "operatorConfig.create", true,
                "operatorConfig.disableDrain", true,
                "daemon.useCdi", true));
    assertThat(yaml)
        .contains(
            """
            kind: SriovOperatorConfig
            metadata:
              name: default
              namespace: sriov-network-operator\
            """)
        .contains(
            """
            spec:
              disableDrain: true
              logLevel: 2
              useCDI: true
            """);
  }

  @Test
  void fullnameOverrideNamesEveryObject() {
    RenderedChart chart = RenderedChart.render(Map.of("fullnameOverride", "sriov-node"));
    assertThat(chart.objects())
        .extracting(o -> o.getMetadata().getName())
        .allMatch(n -> n.startsWith("sriov-node"));
  }
}
