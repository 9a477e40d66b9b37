package io.sriov.deviceplugin.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void defaultsAreUpstreams() {
    CommandLine c = CommandLine.parse(List.of());
    assertThat(c.configFile()).isEqualTo(Path.of("/etc/pcidp/config.json"));
    assertThat(c.resourcePrefix()).isEqualTo("intel.com");
    assertThat(c.useCdi()).isFalse();
    assertThat(c.devicePluginsDir()).isEqualTo(Path.of("/var/lib/kubelet/device-plugins"));
    assertThat(c.pluginsRegistryDir()).isEqualTo(Path.of("/var/lib/kubelet/plugins_registry"));
    assertThat(c.cdiDir()).isEqualTo(Path.of("/var/run/cdi"));
    assertThat(c.deviceInfoDir()).isEqualTo(Path.of("/var/run/k8s.cni.cncf.io/devinfo/dp"));
    assertThat(c.simulatedNode()).isEmpty();
    assertThat(c.dryRun()).isFalse();
    assertThat(c.configFileGiven()).isFalse();
  }

  @Test
  void acceptsGoAndGnuSpellings() {
    CommandLine c =
        CommandLine.parse(
            List.of(
                "-config-file",
                "/etc/pcidp/node1",
                "--resource-prefix=example.org",
                "-use-cdi",
                "-v",
                "10",
                "--logtostderr",
                "--log-dir=/var/log"));
    assertThat(c.configFile()).isEqualTo(Path.of("/etc/pcidp/node1"));
    assertThat(c.configFileGiven()).isTrue();
    assertThat(c.resourcePrefix()).isEqualTo("example.org");
    assertThat(c.useCdi()).isTrue();
    assertThat(c.logLevel()).isEqualTo("trace");
  }

  @Test
  void logLevelTakesVerbosityOrNames() {
    assertThat(CommandLine.parse(List.of("--log-level=2")).logLevel()).isEqualTo("info");
    assertThat(CommandLine.parse(List.of("--log-level=4")).logLevel()).isEqualTo("debug");
    assertThat(CommandLine.parse(List.of("--log-level=WARN")).logLevel()).isEqualTo("warn");
  }

  @Test
  void simulatedNodeIsOptionalWithOptionalTopology() {
    assertThat(CommandLine.parse(List.of("--simulated-node")).simulatedNode())
        .contains(Optional.empty());
    assertThat(CommandLine.parse(List.of("--simulated-node=topo.yaml")).simulatedNode())
        .contains(Optional.of(Path.of("topo.yaml")));
  }

  @Test
  void badFlagsNameTheProblem() {
    assertThatThrownBy(() -> CommandLine.parse(List.of("--nope")))
        .hasMessage("unknown flag: --nope");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--config-file")))
        .hasMessage("flag --config-file needs a value");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--config-file=")))
        .hasMessage("flag --config-file needs a value");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--use-cdi=yes")))
        .hasMessage("flag --use-cdi takes true or false, got \"yes\"");
    assertThatThrownBy(() -> CommandLine.parse(List.of("-v", "loud")))
        .hasMessage(
            "flag --v takes a verbosity >= 0 or one of error, warn, info, debug, trace; got \"loud\"");
    assertThatThrownBy(() -> CommandLine.parse(List.of("config.json")))
        .hasMessage("unexpected argument: config.json");
  }

  @Test
  void everyFlagUpstreamAcceptsIsAcceptedIncludingAllOfGlogs() {
    CommandLine c =
        CommandLine.parse(
            List.of(
                "-config-file=/etc/pcidp/config.json",
                "-resource-prefix",
                "example.org",
                "-use-cdi=T",
                "-v=10",
                "-vmodule=server=2,pool*=3,",
                "-log_backtrace_at=server.go:120",
                "-log_dir",
                "/var/log",
                "-log_link=/var/log/link",
                "-logbuflevel=-1",
                "-logtostderr",
                "-alsologtostderr=false",
                "-stderrthreshold=INFO",
                "--stderrthreshold",
                "2"));
    assertThat(c.useCdi()).isTrue();
    assertThat(c.resourcePrefix()).isEqualTo("example.org");
    assertThat(CommandLine.parse(List.of("-vmodule=", "-log_backtrace_at="))).isNotNull();
  }

  @Test
  void badGlogValuesAreRejectedAsGlogRejectsThem() {
    assertThatThrownBy(() -> CommandLine.parse(List.of("-stderrthreshold=LOUD")))
        .hasMessage(
            "flag --stderrthreshold takes INFO, WARNING, ERROR, FATAL or 0-3, got \"LOUD\"");
    assertThatThrownBy(() -> CommandLine.parse(List.of("-stderrthreshold=4")))
        .hasMessage("flag --stderrthreshold takes INFO, WARNING, ERROR, FATAL or 0-3, got \"4\"");
    assertThatThrownBy(() -> CommandLine.parse(List.of("-vmodule=server")))
        .hasMessage("flag --vmodule takes a comma-separated list of pattern=N, got \"server\"");
    assertThatThrownBy(() -> CommandLine.parse(List.of("-log_backtrace_at=server.go")))
        .hasMessage(
            "flag --log_backtrace_at takes a comma-separated list of file:N, got \"server.go\"");
    assertThatThrownBy(() -> CommandLine.parse(List.of("-logbuflevel=x")))
        .hasMessage("flag --logbuflevel takes an integer, got \"x\"");
  }
}
