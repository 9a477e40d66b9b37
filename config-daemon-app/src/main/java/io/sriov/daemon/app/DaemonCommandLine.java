package io.sriov.daemon.app;

import io.sriov.core.cli.Flags;
import io.sriov.core.cli.UsageException;
import io.sriov.core.value.Dns1123;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The flags of {@code sriov-node}. Values may follow the flag ({@code --node-state x}) or be joined
 * with {@code =} ({@code --node-state=x}); {@code --simulated-node} takes its topology file only
 * joined ({@code --simulated-node=FILE}) or as the next argument when that does not start with "-".
 *
 * @param nodeState empty: the built-in example (only with {@code --simulated-node})
 * @param simulatedNode empty: the real node; present: the simulated node, with its topology file
 *     when one was given
 * @param stateDir empty: {@code /var/lib/sriov-node}, or a temp dir on a simulated node
 * @param kubeletDir empty: {@code /var/lib/kubelet}, or a temp dir on a simulated node
 * @param deviceInfoDir empty: upstream's, or a temp dir on a simulated node
 * @param cdiDir empty: {@code /var/run/cdi}, or a temp dir on a simulated node
 * @param metricsPort the metrics and health listener's port; 0: no listener
 * @param metricsBindAddress the listener's address (an IP literal)
 * @param applySaved apply the desired state saved in the state dir once ({@code --apply-saved}, the
 *     boot unit); mode is then {@link Mode#ONCE}
 * @param parallelism how many PFs are applied at once
 * @param cniSocket empty: the CNI server on {@code /var/run/sriov-node/cni.sock} (a temp dir on a
 *     simulated node); present and empty: no CNI server ({@code --cni-socket ""})
 * @param cluster present: cluster mode ({@code --node-name}, or the environment's {@code NODE_NAME}
 *     for a serving run without a node-state file): the desired state comes from the API server
 */
public record DaemonCommandLine(
    Optional<Path> nodeState,
    Optional<Optional<Path>> simulatedNode,
    boolean applySaved,
    Mode mode,
    Output output,
    boolean outputGiven,
    String resourcePrefix,
    boolean useCdi,
    Optional<Path> stateDir,
    Optional<Path> kubeletDir,
    Optional<Path> deviceInfoDir,
    Optional<Path> cdiDir,
    Optional<Optional<Path>> cniSocket,
    Optional<Cluster> cluster,
    Path sysfsRoot,
    int metricsPort,
    String metricsBindAddress,
    String logLevel,
    int parallelism,
    boolean help,
    boolean version) {

  /** What the run does. */
  public enum Mode {
    /** Print the plan, change nothing. */
    PLAN,
    /** Apply once and exit. */
    ONCE,
    /** Apply, then serve the device plugin until SIGTERM. */
    SERVE
  }

  /**
   * Cluster mode: this node's name, the daemons' namespace (SriovNetworkNodeState,
   * SriovOperatorConfig, pool configs, Leases) and the kubeconfig (empty: fabric8's default, the
   * in-cluster service account, {@code KUBECONFIG} or {@code ~/.kube/config}).
   */
  public record Cluster(String nodeName, String namespace, Optional<Path> kubeconfig) {
    public Cluster {
      Objects.requireNonNull(nodeName, "nodeName");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(kubeconfig, "kubeconfig");
    }
  }

  /** Upstream's namespace, the default of {@code --namespace}. */
  public static final String DEFAULT_NAMESPACE = "sriov-network-operator";

  /** The environment variables the chart sets from the downward API. */
  public static final String NODE_NAME_ENV = "NODE_NAME";

  public static final String NAMESPACE_ENV = "NAMESPACE";

  /** How the resulting SriovNetworkNodeState is printed on stdout. */
  public enum Output {
    TABLE,
    JSON,
    YAML
  }

  public static final String USAGE =
      """
      Usage: sriov-node [flags]

      Applies a SriovNetworkNodeState to this node (PFs in parallel, each as a transaction), then
      serves the embedded device plugin with one pool per vfGroup resourceName (the VFs of PFs that
      applied), until SIGTERM. The desired state comes from a file (--node-state) or, in cluster
      mode (--node-name), from the API server: rendered from the SriovNetworkNodePolicies, status
      written to the node's SriovNetworkNodeState, drains coordinated through Leases, NADs rendered
      by one elected daemon.

        --node-state FILE         the desired SriovNetworkNodeState (YAML or JSON); on a real node
                                  this or --node-name is required
        --node-name NAME          cluster mode for the Kubernetes node NAME (default: the
                                  environment variable NODE_NAME, for a serving run without
                                  --node-state); the first pass only observes, nothing is applied
                                  before the API server's desired state is rendered
        --namespace NS            the namespace of the SriovNetworkNodeStates, the
                                  SriovOperatorConfig, the pool configs and the Leases (default:
                                  the environment variable NAMESPACE, else sriov-network-operator)
        --kubeconfig FILE         the API server's kubeconfig (default: the in-cluster service
                                  account, else KUBECONFIG, else ~/.kube/config)
        --simulated-node[=FILE]   run against a SIMULATED node (built-in topology, or FILE); without
                                  --node-state it applies a bundled example desired state
        --plan                    print what would change, change nothing, exit 0
        --once                    apply once and exit: 0 Succeeded, 1 Failed
        --apply-saved             apply the desired state saved in --state-dir once and exit
                                  (the boot unit, before kubelet; nothing saved: exit 0)
        --output table|json|yaml  the resulting object on stdout (default table; json/yaml print
                                  only the object, logs go to stderr)
        --resource-prefix PREFIX  device plugin resource prefix (default openshift.io)
        --use-cdi                 answer Allocate with CDI annotations and write CDI specs
        --state-dir DIR           the daemon's records (default /var/lib/sriov-node)
        --kubelet-dir DIR         kubelet state dir (default /var/lib/kubelet)
        --device-info-dir DIR     CNI device-info dir (default /var/run/k8s.cni.cncf.io/devinfo/dp)
        --cdi-dir DIR             CDI spec dir (default /var/run/cdi)
        --cni-socket PATH         serve the CNI plugins (sriov) to the shim /opt/cni/bin/sriov on
                                  this Unix socket, root only (default
                                  /var/run/sriov-node/cni.sock; "" disables)
        --sysfs-root DIR          root holding sys/ and dev/ (default /)
        --metrics-port PORT       serve /metrics, /healthz and /readyz on PORT while serving
                                  (default 9808; 0: off)
        --metrics-bind-address IP address of that listener (default 0.0.0.0)
        --parallelism N           PFs applied at once, 1-64 (default 4)
        --log-level LEVEL         error, warn, info (default), debug, trace
        --help                    this text
        --version                 print the version and exit

      With --simulated-node the state, kubelet, device-info and CDI dirs and the CNI socket default
      to a temp dir; --simulated-node with --node-name is a simulated node driven by an API server.
      Cluster mode serves until stopped (no --plan, --once, --apply-saved); while the API server
      is away the node keeps its last applied state and the device plugin keeps serving.
      Exit codes: 0 done, 1 the apply failed or the node or file is unusable, 2 bad flags.
      """;

  /** The default and the bounds of {@code --parallelism}. */
  public static final int DEFAULT_PARALLELISM = 4;

  public static final int MAX_PARALLELISM = 64;

  public DaemonCommandLine {
    Objects.requireNonNull(nodeState, "nodeState");
    Objects.requireNonNull(simulatedNode, "simulatedNode");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(resourcePrefix, "resourcePrefix");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(kubeletDir, "kubeletDir");
    Objects.requireNonNull(deviceInfoDir, "deviceInfoDir");
    Objects.requireNonNull(cdiDir, "cdiDir");
    Objects.requireNonNull(cniSocket, "cniSocket");
    Objects.requireNonNull(sysfsRoot, "sysfsRoot");
    Objects.requireNonNull(metricsBindAddress, "metricsBindAddress");
    Objects.requireNonNull(logLevel, "logLevel");
  }

  /** Upstream sriov-network-metrics-exporter's port. */
  public static final int DEFAULT_METRICS_PORT = 9808;

  /**
   * Parses {@code args}.
   *
   * @throws UsageException for an unknown flag, a missing or bad value, or flags that exclude each
   *     other
   */
  public static DaemonCommandLine parse(List<String> args) {
    return parse(args, Map.of());
  }

  /**
   * Parses {@code args}, with {@code NODE_NAME} and {@code NAMESPACE} from {@code env} as the
   * defaults of {@code --node-name} and {@code --namespace}. {@code NODE_NAME} turns cluster mode
   * on only for a serving run without a file ({@code --node-state}, {@code --apply-saved}) and
   * without {@code --plan}/{@code --once}, so that those still work in the daemon's container.
   *
   * @throws UsageException for an unknown flag, a missing or bad value, or flags that exclude each
   *     other
   */
  public static DaemonCommandLine parse(List<String> args, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Optional<Path> nodeState = Optional.empty();
    Optional<String> nodeName = Optional.empty();
    Optional<String> namespace = Optional.empty();
    Optional<Path> kubeconfig = Optional.empty();
    Optional<Optional<Path>> simulated = Optional.empty();
    boolean plan = false;
    boolean once = false;
    boolean applySaved = false;
    int parallelism = DEFAULT_PARALLELISM;
    Output output = Output.TABLE;
    boolean outputGiven = false;
    String prefix = "openshift.io";
    boolean useCdi = false;
    Optional<Path> stateDir = Optional.empty();
    Optional<Path> kubeletDir = Optional.empty();
    Optional<Path> devinfo = Optional.empty();
    Optional<Path> cdiDir = Optional.empty();
    Optional<Optional<Path>> cniSocket = Optional.empty();
    Path sysfsRoot = Path.of("/");
    String logLevel = "info";
    int metricsPort = DEFAULT_METRICS_PORT;
    String metricsBind = "0.0.0.0";
    boolean help = false;
    boolean version = false;
    Flags flags = new Flags(args, Flags.Style.GNU);
    while (flags.next()) {
      String name = flags.name();
      switch (name) {
        case "node-state" -> nodeState = Optional.of(Path.of(flags.nonEmptyValue()));
        case "simulated-node" -> simulated = Optional.of(flags.optionalValue().map(Path::of));
        case "plan" -> plan = flags.noValue();
        case "once" -> once = flags.noValue();
        case "apply-saved" -> applySaved = flags.noValue();
        case "parallelism" -> parallelism = parallelism(flags.value());
        case "use-cdi" -> useCdi = flags.noValue();
        case "help" -> help = flags.noValue();
        case "version" -> version = flags.noValue();
        case "output" -> {
          output = output(flags.value());
          outputGiven = true;
        }
        case "resource-prefix" -> prefix = flags.nonEmptyValue();
        case "state-dir", "kubelet-dir", "device-info-dir", "cdi-dir", "sysfs-root" -> {
          Path dir = Path.of(flags.nonEmptyValue());
          switch (name) {
            case "state-dir" -> stateDir = Optional.of(dir);
            case "kubelet-dir" -> kubeletDir = Optional.of(dir);
            case "device-info-dir" -> devinfo = Optional.of(dir);
            case "cdi-dir" -> cdiDir = Optional.of(dir);
            default -> sysfsRoot = dir;
          }
        }
        case "metrics-port" -> metricsPort = port(flags.value());
        case "metrics-bind-address" -> metricsBind = ipLiteral(flags.nonEmptyValue());
        case "cni-socket" -> cniSocket = Optional.of(cniSocket(flags.value()));
        case "log-level" -> logLevel = level(flags.value());
        case "node-name" -> nodeName = Optional.of(nodeName("flag --node-name", flags.value()));
        case "namespace" -> namespace = Optional.of(namespace("flag --namespace", flags.value()));
        case "kubeconfig" -> kubeconfig = Optional.of(Path.of(flags.nonEmptyValue()));
        default -> throw flags.unknown();
      }
    }
    if (plan && once) {
      throw new UsageException("flags --plan and --once exclude each other");
    }
    if (plan && outputGiven) {
      throw new UsageException("flag --output: --plan prints the plan as text");
    }
    if (applySaved && nodeState.isPresent()) {
      throw new UsageException(
          "flags --apply-saved and --node-state exclude each other: --apply-saved applies the"
              + " state saved in --state-dir");
    }
    if (applySaved && plan) {
      throw new UsageException("flags --apply-saved and --plan exclude each other");
    }
    Optional<Cluster> cluster =
        cluster(nodeName, namespace, kubeconfig, nodeState, applySaved, plan, once, env);
    if (!help
        && !version
        && nodeState.isEmpty()
        && simulated.isEmpty()
        && !applySaved
        && cluster.isEmpty()) {
      throw new UsageException(
          "flag --node-state or --node-name is required (or --simulated-node, --apply-saved)");
    }
    Mode mode = plan ? Mode.PLAN : once || applySaved ? Mode.ONCE : Mode.SERVE;
    return new DaemonCommandLine(
        nodeState,
        simulated,
        applySaved,
        mode,
        output,
        outputGiven,
        prefix,
        useCdi,
        stateDir,
        kubeletDir,
        devinfo,
        cdiDir,
        cniSocket,
        cluster,
        sysfsRoot,
        metricsPort,
        metricsBind,
        logLevel,
        parallelism,
        help,
        version);
  }

  /**
   * Cluster mode from the flags and the environment; the flags that exclude it refused naming both.
   */
  private static Optional<Cluster> cluster(
      Optional<String> nodeNameFlag,
      Optional<String> namespaceFlag,
      Optional<Path> kubeconfig,
      Optional<Path> nodeState,
      boolean applySaved,
      boolean plan,
      boolean once,
      Map<String, String> env) {
    if (nodeNameFlag.isPresent()) {
      if (nodeState.isPresent()) {
        throw new UsageException(
            "flags --node-state and --node-name exclude each other: in cluster mode (--node-name)"
                + " the desired state comes from the API server");
      }
      if (applySaved) {
        throw new UsageException(
            "flags --apply-saved and --node-name exclude each other: --apply-saved applies the"
                + " state saved in --state-dir without the API server");
      }
      if (plan || once) {
        throw new UsageException(
            "flag --"
                + (plan ? "plan" : "once")
                + ": cluster mode (--node-name) serves until stopped; --plan and --once work on a"
                + " --node-state file");
      }
    }
    boolean fileMode = nodeState.isPresent() || applySaved || plan || once;
    Optional<String> nodeName = nodeNameFlag;
    String envNode = env.get(NODE_NAME_ENV);
    if (nodeName.isEmpty() && !fileMode && envNode != null && !envNode.isEmpty()) {
      nodeName = Optional.of(nodeName("environment variable " + NODE_NAME_ENV, envNode));
    }
    if (nodeName.isEmpty()) {
      if (namespaceFlag.isPresent()) {
        throw new UsageException(
            "flag --namespace needs cluster mode (--node-name, or NODE_NAME in the environment)");
      }
      if (kubeconfig.isPresent()) {
        throw new UsageException(
            "flag --kubeconfig needs cluster mode (--node-name, or NODE_NAME in the environment)");
      }
      return Optional.empty();
    }
    String envNamespace = env.get(NAMESPACE_ENV);
    String namespace =
        namespaceFlag.orElseGet(
            () ->
                envNamespace == null || envNamespace.isEmpty()
                    ? DEFAULT_NAMESPACE
                    : namespace("environment variable " + NAMESPACE_ENV, envNamespace));
    return Optional.of(new Cluster(nodeName.get(), namespace, kubeconfig));
  }

  /** A Node's name: a DNS-1123 subdomain, at most 253 characters. */
  private static String nodeName(String what, String value) {
    if (Dns1123.subdomainProblem(value) != null) {
      throw new UsageException(
          what
              + " takes a Kubernetes node name (lower-case letters, digits, '-' and '.', at most"
              + " 253 characters, starting and ending with a letter or digit); got \""
              + value
              + "\"");
    }
    return value;
  }

  /** A namespace: a DNS-1123 label, at most 63 characters. */
  private static String namespace(String what, String value) {
    if (Dns1123.labelProblem(value) != null) {
      throw new UsageException(
          what
              + " takes a Kubernetes namespace (lower-case letters, digits and '-', at most 63"
              + " characters, starting and ending with a letter or digit); got \""
              + value
              + "\"");
    }
    return value;
  }

  private static int port(String value) {
    int p;
    try {
      p = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 0 || p > 65535) {
      throw new UsageException(
          "flag --metrics-port takes a port 0-65535 (0: off); got \"" + value + "\"");
    }
    return p;
  }

  /** An IPv4 or IPv6 literal; a host name is refused (no DNS lookup at start). */
  private static String ipLiteral(String value) {
    String v =
        value.startsWith("[") && value.endsWith("]")
            ? value.substring(1, value.length() - 1)
            : value;
    boolean v4 =
        v.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            && java.util.Arrays.stream(v.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
    boolean v6 = v.contains(":") && isIpv6Literal(v);
    if (!v4 && !v6) {
      throw new UsageException(
          "flag --metrics-bind-address takes an IP address (e.g. 0.0.0.0, 127.0.0.1, ::); got \""
              + value
              + "\"");
    }
    return v;
  }

  /**
   * The JDK parses a host containing {@code :} as an IPv6 literal only, with no name lookup, and
   * refuses a malformed one ({@code 1:::2}, {@code ::g}, too many groups).
   */
  private static boolean isIpv6Literal(String v) {
    try {
      java.net.InetAddress.getByName(v);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static Optional<Path> cniSocket(String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Path path = Path.of(value);
    if (!path.isAbsolute()) {
      throw new UsageException(
          "flag --cni-socket needs an absolute path (or \"\" for no CNI server), got \""
              + value
              + "\"");
    }
    return Optional.of(path);
  }

  private static Output output(String value) {
    return switch (value) {
      case "table" -> Output.TABLE;
      case "json" -> Output.JSON;
      case "yaml" -> Output.YAML;
      default ->
          throw new UsageException(
              "flag --output takes table, json or yaml; got \"" + value + "\"");
    };
  }

  private static int parallelism(String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > MAX_PARALLELISM) {
      throw new UsageException(
          "flag --parallelism takes a number of PFs from 1 to "
              + MAX_PARALLELISM
              + "; got \""
              + value
              + "\"");
    }
    return n;
  }

  private static String level(String value) {
    return Flags.logLevel(value)
        .orElseThrow(
            () ->
                new UsageException(
                    "flag --log-level takes error, warn, info, debug or trace; got \""
                        + value
                        + "\""));
  }
}
