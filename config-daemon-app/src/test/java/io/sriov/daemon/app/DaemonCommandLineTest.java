package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonCommandLineTest {

  static DaemonCommandLine parse(String... args) {
    return DaemonCommandLine.parse(List.of(args));
  }

  static void rejects(String message, String... args) {
    assertThatThrownBy(() -> parse(args)).isInstanceOf(UsageException.class).hasMessage(message);
  }

  @Test
  void defaults() {
    DaemonCommandLine c = parse("--node-state", "/etc/sriov/state.yaml");
    assertThat(c.nodeState()).contains(Path.of("/etc/sriov/state.yaml"));
    assertThat(c.simulatedNode()).isEmpty();
    assertThat(c.mode()).isEqualTo(DaemonCommandLine.Mode.SERVE);
    assertThat(c.output()).isEqualTo(DaemonCommandLine.Output.TABLE);
    assertThat(c.resourcePrefix()).isEqualTo("openshift.io");
    assertThat(c.useCdi()).isFalse();
    assertThat(c.stateDir()).isEmpty();
    assertThat(c.kubeletDir()).isEmpty();
    assertThat(c.deviceInfoDir()).isEmpty();
    assertThat(c.cdiDir()).isEmpty();
    assertThat(c.cniSocket()).isEmpty();
    assertThat(c.sysfsRoot()).isEqualTo(Path.of("/"));
    assertThat(c.logLevel()).isEqualTo("info");
    assertThat(c.parallelism()).isEqualTo(4);
    assertThat(c.applySaved()).isFalse();
  }

  @Test
  void everyFlagJoinedOrSeparate() {
    DaemonCommandLine c =
        parse(
            "--simulated-node=/t.yaml",
            "--once",
            "--output=yaml",
            "--resource-prefix",
            "example.com",
            "--use-cdi",
            "--state-dir=/s",
            "--kubelet-dir",
            "/k",
            "--device-info-dir=/d",
            "--cdi-dir",
            "/c",
            "--cni-socket",
            "/run/x/cni.sock",
            "--sysfs-root=/r",
            "--log-level",
            "DEBUG",
            "--parallelism",
            "64");
    assertThat(c.simulatedNode()).contains(Optional.of(Path.of("/t.yaml")));
    assertThat(c.mode()).isEqualTo(DaemonCommandLine.Mode.ONCE);
    assertThat(c.output()).isEqualTo(DaemonCommandLine.Output.YAML);
    assertThat(c.resourcePrefix()).isEqualTo("example.com");
    assertThat(c.useCdi()).isTrue();
    assertThat(c.stateDir()).contains(Path.of("/s"));
    assertThat(c.kubeletDir()).contains(Path.of("/k"));
    assertThat(c.deviceInfoDir()).contains(Path.of("/d"));
    assertThat(c.cdiDir()).contains(Path.of("/c"));
    assertThat(c.cniSocket()).contains(Optional.of(Path.of("/run/x/cni.sock")));
    assertThat(c.sysfsRoot()).isEqualTo(Path.of("/r"));
    assertThat(c.logLevel()).isEqualTo("debug");
    assertThat(c.parallelism()).isEqualTo(64);
    assertThat(parse("--simulated-node", "--parallelism=1").parallelism()).isEqualTo(1);
  }

  @Test
  void applySavedIsOnceFromTheStateDir() {
    DaemonCommandLine c = parse("--apply-saved", "--state-dir", "/var/lib/sriov-node");
    assertThat(c.applySaved()).isTrue();
    assertThat(c.mode()).isEqualTo(DaemonCommandLine.Mode.ONCE);
    assertThat(c.nodeState()).isEmpty();
    assertThat(c.stateDir()).contains(Path.of("/var/lib/sriov-node"));
  }

  @Test
  void simulatedNodeTakesTheNextArgumentAsTopologyUnlessItIsAFlag() {
    assertThat(parse("--simulated-node", "/t.yaml").simulatedNode())
        .contains(Optional.of(Path.of("/t.yaml")));
    assertThat(parse("--simulated-node", "--plan").simulatedNode()).contains(Optional.empty());
    assertThat(parse("--simulated-node", "--plan").mode()).isEqualTo(DaemonCommandLine.Mode.PLAN);
  }

  @Test
  void anEmptyCniSocketDisablesTheCniServer() {
    assertThat(parse("--simulated-node", "--cni-socket=").cniSocket()).contains(Optional.empty());
    assertThat(parse("--simulated-node", "--cni-socket", "").cniSocket())
        .contains(Optional.empty());
  }

  @Test
  void badFlags() {
    rejects(
        "flag --cni-socket needs an absolute path (or \"\" for no CNI server), got \"cni.sock\"",
        "--simulated-node",
        "--cni-socket=cni.sock");
    rejects("flag --cni-socket needs a value", "--simulated-node", "--cni-socket");
    rejects("unknown flag: --numvfs", "--simulated-node", "--numvfs");
    rejects("unexpected argument: extra", "--node-state", "/x", "--once", "extra");
    rejects("unexpected argument: -v", "--simulated-node", "-v");
    rejects("flag --node-state needs a value", "--node-state");
    rejects("flag --node-state needs a value", "--node-state", "--once");
    rejects("flag --node-state needs a value", "--node-state=");
    rejects("flag --kubelet-dir needs a value", "--simulated-node", "--kubelet-dir");
    rejects("flag --simulated-node needs a value", "--simulated-node=");
    rejects("flag --once takes no value, got \"yes\"", "--simulated-node", "--once=yes");
    rejects("flags --plan and --once exclude each other", "--simulated-node", "--plan", "--once");
    rejects(
        "flag --output: --plan prints the plan as text",
        "--simulated-node",
        "--plan",
        "--output",
        "json");
    rejects(
        "flag --output takes table, json or yaml; got \"JSON\"",
        "--simulated-node",
        "--output=JSON");
    rejects(
        "flag --log-level takes error, warn, info, debug or trace; got \"3\"",
        "--simulated-node",
        "--log-level",
        "3");
    rejects(
        "flag --node-state or --node-name is required (or --simulated-node, --apply-saved)",
        "--once");
    rejects(
        "flag --parallelism takes a number of PFs from 1 to 64; got \"0\"",
        "--simulated-node",
        "--parallelism=0");
    rejects(
        "flag --parallelism takes a number of PFs from 1 to 64; got \"65\"",
        "--simulated-node",
        "--parallelism",
        "65");
    rejects(
        "flag --parallelism takes a number of PFs from 1 to 64; got \"four\"",
        "--simulated-node",
        "--parallelism",
        "four");
    rejects("flag --parallelism needs a value", "--simulated-node", "--parallelism");
    rejects(
        "flags --apply-saved and --node-state exclude each other: --apply-saved applies the state"
            + " saved in --state-dir",
        "--apply-saved",
        "--node-state",
        "/x");
    rejects("flags --apply-saved and --plan exclude each other", "--apply-saved", "--plan");
    rejects("flag --apply-saved takes no value, got \"1\"", "--apply-saved=1");
  }

  @Test
  void helpNeedsNoNodeState() {
    assertThat(parse("--help").help()).isTrue();
  }

  @Test
  void versionNeedsNoNodeStateAndTakesNoValue() {
    assertThat(parse("--version").version()).isTrue();
    assertThat(parse("--simulated-node").version()).isFalse();
    rejects("flag --version takes no value, got \"1\"", "--version=1");
  }

  @Test
  void metricsListenerFlags() {
    DaemonCommandLine d = parse("--simulated-node");
    assertThat(d.metricsPort()).isEqualTo(9808);
    assertThat(d.metricsBindAddress()).isEqualTo("0.0.0.0");
    DaemonCommandLine c =
        parse("--simulated-node", "--metrics-port=0", "--metrics-bind-address", "[::1]");
    assertThat(c.metricsPort()).isZero();
    assertThat(c.metricsBindAddress()).isEqualTo("::1");
    assertThat(parse("--simulated-node", "--metrics-bind-address=127.0.0.1").metricsBindAddress())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void badMetricsFlagsSayWhatIsExpected() {
    rejects(
        "flag --metrics-port takes a port 0-65535 (0: off); got \"65536\"",
        "--simulated-node",
        "--metrics-port=65536");
    rejects(
        "flag --metrics-port takes a port 0-65535 (0: off); got \"http\"",
        "--simulated-node",
        "--metrics-port",
        "http");
    rejects("flag --metrics-port needs a value", "--simulated-node", "--metrics-port");
    rejects(
        "flag --metrics-bind-address takes an IP address (e.g. 0.0.0.0, 127.0.0.1, ::); got"
            + " \"localhost\"",
        "--simulated-node",
        "--metrics-bind-address=localhost");
    rejects(
        "flag --metrics-bind-address takes an IP address (e.g. 0.0.0.0, 127.0.0.1, ::); got"
            + " \"300.1.1.1\"",
        "--simulated-node",
        "--metrics-bind-address=300.1.1.1");
    for (String bad : new String[] {"1:::2", "::g", "1:2:3:4:5:6:7:8:9", ":"}) {
      rejects(
          "flag --metrics-bind-address takes an IP address (e.g. 0.0.0.0, 127.0.0.1, ::); got \""
              + bad
              + "\"",
          "--simulated-node",
          "--metrics-bind-address=" + bad);
    }
    assertThat(parse("--simulated-node", "--metrics-bind-address=fd00::10:1").metricsBindAddress())
        .isEqualTo("fd00::10:1");
    rejects(
        "flag --metrics-bind-address needs a value", "--simulated-node", "--metrics-bind-address=");
  }

  static DaemonCommandLine parseEnv(Map<String, String> env, String... args) {
    return DaemonCommandLine.parse(List.of(args), env);
  }

  static void rejectsEnv(Map<String, String> env, String message, String... args) {
    assertThatThrownBy(() -> parseEnv(env, args))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @Test
  void clusterModeFromTheFlags() {
    DaemonCommandLine c =
        parse("--node-name", "worker-1.example", "--namespace=sriov", "--kubeconfig", "/k.conf");
    assertThat(c.cluster())
        .contains(
            new DaemonCommandLine.Cluster(
                "worker-1.example", "sriov", Optional.of(Path.of("/k.conf"))));
    assertThat(c.mode()).isEqualTo(DaemonCommandLine.Mode.SERVE);
    assertThat(c.nodeState()).isEmpty();
    assertThat(parse("--node-name=w1").cluster())
        .contains(new DaemonCommandLine.Cluster("w1", "sriov-network-operator", Optional.empty()));
    // a simulated node driven by an API server
    DaemonCommandLine sim = parse("--simulated-node", "--node-name", "sim-0");
    assertThat(sim.simulatedNode()).contains(Optional.empty());
    assertThat(sim.cluster().orElseThrow().nodeName()).isEqualTo("sim-0");
    assertThat(parse("--node-state", "/s.yaml").cluster()).isEmpty();
  }

  @Test
  void clusterModeFromTheEnvironmentAsTheChartSetsIt() {
    Map<String, String> env = Map.of("NODE_NAME", "w2", "NAMESPACE", "sriov-ns");
    assertThat(parseEnv(env).cluster())
        .contains(new DaemonCommandLine.Cluster("w2", "sriov-ns", Optional.empty()));
    // the flags win over the environment
    assertThat(parseEnv(env, "--node-name=w3", "--namespace=x").cluster())
        .contains(new DaemonCommandLine.Cluster("w3", "x", Optional.empty()));
    assertThat(parseEnv(Map.of("NODE_NAME", "w2", "NAMESPACE", "")).cluster().orElseThrow())
        .extracting(DaemonCommandLine.Cluster::namespace)
        .isEqualTo("sriov-network-operator");
    // a file, the boot re-apply, --plan and --once still work in the daemon's container
    assertThat(parseEnv(env, "--node-state", "/s.yaml").cluster()).isEmpty();
    assertThat(parseEnv(env, "--apply-saved").cluster()).isEmpty();
    assertThat(parseEnv(env, "--simulated-node", "--once").cluster()).isEmpty();
    assertThat(parseEnv(env, "--simulated-node", "--plan").cluster()).isEmpty();
    assertThat(parseEnv(Map.of("NODE_NAME", ""), "--simulated-node").cluster()).isEmpty();
  }

  @Test
  void clusterModeErrors() {
    rejects(
        "flags --node-state and --node-name exclude each other: in cluster mode (--node-name) the"
            + " desired state comes from the API server",
        "--node-state",
        "/s.yaml",
        "--node-name",
        "w1");
    rejects(
        "flags --apply-saved and --node-name exclude each other: --apply-saved applies the state"
            + " saved in --state-dir without the API server",
        "--apply-saved",
        "--node-name=w1");
    rejects(
        "flag --once: cluster mode (--node-name) serves until stopped; --plan and --once work on a"
            + " --node-state file",
        "--node-name=w1",
        "--once");
    rejects(
        "flag --plan: cluster mode (--node-name) serves until stopped; --plan and --once work on a"
            + " --node-state file",
        "--node-name=w1",
        "--plan");
    rejects(
        "flag --node-name takes a Kubernetes node name (lower-case letters, digits, '-' and '.', at"
            + " most 253 characters, starting and ending with a letter or digit); got \"Worker_1\"",
        "--node-name",
        "Worker_1");
    rejects(
        "flag --node-name takes a Kubernetes node name (lower-case letters, digits, '-' and '.', at"
            + " most 253 characters, starting and ending with a letter or digit); got \"w1.\"",
        "--node-name=w1.");
    rejects(
        "flag --node-name takes a Kubernetes node name (lower-case letters, digits, '-' and '.', at"
            + " most 253 characters, starting and ending with a letter or digit); got \""
            + "a".repeat(254)
            + "\"",
        "--node-name=" + "a".repeat(254));
    rejects("flag --node-name needs a value", "--node-name");
    rejects("flag --node-name needs a value", "--node-name", "--simulated-node");
    rejects(
        "flag --namespace takes a Kubernetes namespace (lower-case letters, digits and '-', at most"
            + " 63 characters, starting and ending with a letter or digit); got \"a.b\"",
        "--node-name=w1",
        "--namespace=a.b");
    rejects(
        "flag --namespace takes a Kubernetes namespace (lower-case letters, digits and '-', at most"
            + " 63 characters, starting and ending with a letter or digit); got \""
            + "n".repeat(64)
            + "\"",
        "--node-name=w1",
        "--namespace=" + "n".repeat(64));
    rejects("flag --kubeconfig needs a value", "--node-name=w1", "--kubeconfig=");
    rejects(
        "flag --namespace needs cluster mode (--node-name, or NODE_NAME in the environment)",
        "--node-state=/s.yaml",
        "--namespace=x");
    rejects(
        "flag --kubeconfig needs cluster mode (--node-name, or NODE_NAME in the environment)",
        "--simulated-node",
        "--kubeconfig=/k");
    rejectsEnv(
        Map.of("NODE_NAME", "Bad Name"),
        "environment variable NODE_NAME takes a Kubernetes node name (lower-case letters, digits,"
            + " '-' and '.', at most 253 characters, starting and ending with a letter or digit);"
            + " got \"Bad Name\"");
    rejectsEnv(
        Map.of("NODE_NAME", "w1", "NAMESPACE", "Bad"),
        "environment variable NAMESPACE takes a Kubernetes namespace (lower-case letters, digits"
            + " and '-', at most 63 characters, starting and ending with a letter or digit); got"
            + " \"Bad\"");
  }
}
