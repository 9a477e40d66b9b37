package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helm lint --strict}, on the chart as shipped and on a copy with every option on. */
class ChartLintTest {

  @Test
  void theChartPassesStrictLint() {
    LintResult result = new Helm(RenderedChart.chartDir()).lint().strict().call();
    assertThat(result.getMessages()).as("lint messages").noneMatch(m -> m.contains("[ERROR]"));
    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
  }

  @Test
  void theChartWithEveryOptionOnPassesStrictLint(@TempDir Path tmp) throws IOException {
    Path copy = copyChart(tmp);
    Files.writeString(
        copy.resolve("values.yaml"),
        Files.readString(copy.resolve("values.yaml"))
            .replace("useCdi: false", "useCdi: true")
            .replaceAll("(?m)^(    enabled:) false$", "$1 true")
            .replace("  create: false", "  create: true"));
    assertThat(Files.readString(copy.resolve("values.yaml")))
        .contains("useCdi: true")
        .doesNotContain("enabled: false");
    LintResult result = new Helm(copy).lint().strict().call();
    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
  }

  @Test
  void lintFailsOnAChartWhoseDefaultsBreakTheSchema(@TempDir Path tmp) throws IOException {
    Path copy = copyChart(tmp);
    Files.writeString(
        copy.resolve("values.yaml"),
        Files.readString(copy.resolve("values.yaml")).replace("logLevel: info", "logLevel: loud"));
    LintResult result = new Helm(copy).lint().strict().call();
    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages()))
        .contains(
            "daemon.logLevel: daemon.logLevel must be one of the following: \"error\", \"warn\","
                + " \"info\", \"debug\", \"trace\"");
  }

  static Path copyChart(Path tmp) throws IOException {
    Path src = RenderedChart.chartDir();
    Path dst = tmp.resolve("sriov-node");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : files.toList()) {
        Path target = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return dst;
  }
}
