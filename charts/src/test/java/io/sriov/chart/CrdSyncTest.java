package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's CRDs are sriov-cluster's CRD YAMLs, unchanged (one source of truth). */
class CrdSyncTest {
  static final Path CHART_CRDS = RenderedChart.chartDir().resolve("crds");
  static final Path MODULE_CRDS =
      RenderedChart.repoDir().resolve("sriov-cluster/src/main/resources/crds");

  @Test
  void theChartsCrdsAreTheClusterModulesCrds() throws IOException {
    assertThat(CrdSync.differences(CHART_CRDS, MODULE_CRDS))
        .as("copy them: cp sriov-cluster/src/main/resources/crds/*.yaml charts/sriov-node/crds/")
        .isEmpty();
  }

  @Test
  void everyChartCrdParsesStrictlyAndIsOneOfUpstreamsKinds() throws IOException {
    try (Stream<Path> files = Files.list(CHART_CRDS)) {
      var kinds =
          files
              .sorted()
              .map(f -> read(f))
              .map(RenderedChart::parse)
              .map(c -> c.one(CustomResourceDefinition.class))
              .peek(
                  crd ->
                      assertThat(crd.getSpec().getGroup()).isEqualTo("sriovnetwork.openshift.io"))
              .map(crd -> crd.getSpec().getNames().getKind())
              .toList();
      assertThat(kinds)
          .containsExactlyInAnyOrder(
              "OVSNetwork",
              "SriovIBNetwork",
              "SriovNetworkNodePolicy",
              "SriovNetworkNodeState",
              "SriovNetworkPoolConfig",
              "SriovNetwork",
              "SriovOperatorConfig");
    }
  }

  @Test
  void theCheckNamesAChangedAMissingAndAnExtraFile(@TempDir Path tmp) throws IOException {
    Path chart = Files.createDirectories(tmp.resolve("chart"));
    Path module = Files.createDirectories(tmp.resolve("module"));
    Files.writeString(chart.resolve("a.yaml"), "kind: A\n");
    Files.writeString(module.resolve("a.yaml"), "kind: A\n");
    Files.writeString(chart.resolve("b.yaml"), "kind: B\n");
    Files.writeString(module.resolve("b.yaml"), "kind: B \n");
    Files.writeString(module.resolve("c.yaml"), "kind: C\n");
    Files.writeString(chart.resolve("d.yaml"), "kind: D\n");
    Files.writeString(chart.resolve("README.md"), "not a CRD\n");
    assertThat(CrdSync.differences(chart, module))
        .containsExactly(
            chart.resolve("b.yaml") + " differs from " + module.resolve("b.yaml"),
            chart.resolve("c.yaml") + " is missing (" + module.resolve("c.yaml") + " has it)",
            chart.resolve("d.yaml") + " is not one of " + module + "'s CRDs");
    assertThatThrownBy(() -> CrdSync.differences(chart, tmp.resolve("none")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CRD directory " + tmp.resolve("none") + " does not exist");
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
