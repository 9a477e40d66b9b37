package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.sriov.core.cli.UsageException;
import io.sriov.daemon.app.DaemonCommandLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The DaemonSet's args as the daemon reads them: expanded as kubelet expands {@code $(VAR)} from
 * the container's environment, then parsed by the daemon's own {@link DaemonCommandLine}, so a flag
 * the chart passes and the daemon does not know (or a value it refuses) fails here.
 */
class DaemonArgsTest {
  static final Map<String, String> DOWNWARD_API =
      Map.of("NODE_NAME", "worker-1", "NAMESPACE", "sriov-network-operator");

  private static Container daemon(RenderedChart chart) {
    return chart.one(DaemonSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The args with {@code $(VAR)} replaced as kubelet does, from the container's env. */
  static List<String> expanded(Container c) {
    Map<String, String> env = new java.util.HashMap<>();
    for (EnvVar e : c.getEnv()) {
      String value = e.getValue() != null ? e.getValue() : DOWNWARD_API.get(e.getName());
      assertThat(value).as("a sample value for env %s", e.getName()).isNotNull();
      env.put(e.getName(), value);
    }
    Pattern ref = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    List<String> out = new ArrayList<>();
    for (String arg : c.getArgs()) {
      Matcher m = ref.matcher(arg);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        assertThat(env)
            .as("arg %s refers to an env var the container sets", arg)
            .containsKey(m.group(1));
        m.appendReplacement(sb, Matcher.quoteReplacement(env.get(m.group(1))));
      }
      m.appendTail(sb);
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * Parses the args as the daemon does, with the container's environment (the downward API's {@code
   * NODE_NAME} and {@code NAMESPACE}): cluster mode on for node {@code worker-1}.
   */
  static DaemonCommandLine parse(List<String> args) {
    assertThat(args).contains("--node-name=worker-1", "--namespace=sriov-network-operator");
    DaemonCommandLine cl = DaemonCommandLine.parse(args, DOWNWARD_API);
    assertThat(cl.cluster())
        .contains(
            new DaemonCommandLine.Cluster("worker-1", "sriov-network-operator", Optional.empty()));
    return cl;
  }

  @Test
  void theDaemonReadsTheDefaultArgsAsTheChartMeansThem() {
    DaemonCommandLine cl = parse(expanded(daemon(RenderedChart.render(Map.of()))));
    assertThat(cl.mode()).isEqualTo(DaemonCommandLine.Mode.SERVE);
    assertThat(cl.logLevel()).isEqualTo("info");
    assertThat(cl.resourcePrefix()).isEqualTo("openshift.io");
    assertThat(cl.useCdi()).isFalse();
    assertThat(cl.cdiDir()).contains(Path.of("/var/run/cdi"));
    assertThat(cl.stateDir()).contains(Path.of("/var/lib/sriov-node"));
    assertThat(cl.kubeletDir()).contains(Path.of("/var/lib/kubelet"));
    assertThat(cl.deviceInfoDir()).contains(Path.of("/var/run/k8s.cni.cncf.io/devinfo/dp"));
    assertThat(cl.metricsPort()).isEqualTo(9808);
    assertThat(cl.metricsBindAddress()).isEqualTo("0.0.0.0");
    assertThat(cl.cniSocket()).contains(Optional.of(Path.of("/var/run/sriov-node/cni.sock")));
    assertThat(cl.sysfsRoot()).isEqualTo(Path.of("/"));
  }

  @Test
  void theDaemonReadsOverriddenValuesAndExtraArgs() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "hostPaths.kubelet", "/var/lib/k0s/kubelet/",
                "hostPaths.state", "/srv/sriov",
                "hostPaths.run", "/run/sriov",
                "hostPaths.cdi", "/etc/cdi",
                "daemon.useCdi", true,
                "daemon.logLevel", "debug",
                "daemon.resourcePrefix", "example.com",
                "metrics.port", 9900,
                "daemon.extraArgs[0]", "--parallelism=2"));
    DaemonCommandLine cl = parse(expanded(daemon(chart)));
    assertThat(cl.kubeletDir()).contains(Path.of("/var/lib/k0s/kubelet"));
    assertThat(cl.stateDir()).contains(Path.of("/srv/sriov"));
    assertThat(cl.cniSocket()).contains(Optional.of(Path.of("/run/sriov/cni.sock")));
    assertThat(cl.cdiDir()).contains(Path.of("/etc/cdi"));
    assertThat(cl.useCdi()).isTrue();
    assertThat(cl.logLevel()).isEqualTo("debug");
    assertThat(cl.resourcePrefix()).isEqualTo("example.com");
    assertThat(cl.metricsPort()).isEqualTo(9900);
    assertThat(cl.parallelism()).isEqualTo(2);
  }

  @Test
  void anExtraArgTheDaemonDoesNotKnowFailsWithTheDaemonsMessage() {
    List<String> args =
        expanded(daemon(RenderedChart.render(Map.of("daemon.extraArgs[0]", "--parallelism=99"))));
    assertThatThrownBy(() -> parse(args))
        .isInstanceOf(UsageException.class)
        .hasMessage("flag --parallelism takes a number of PFs from 1 to 64; got \"99\"");
  }
}
