package io.sriov.daemon.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
 * @param cniSocket empty: the CNI server on {@code /var/run/sriov-node/cni.sock} (a temp dir on a
 *     simulated node); present and empty: no CNI server ({@code --cni-socket ""})
 */
public record DaemonCommandLine(
    Optional<Path> nodeState,
    Optional<Optional<Path>> simulatedNode,
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
    Path sysfsRoot,
    String logLevel,
    boolean help) {

  /** What the run does. */
  public enum Mode {
    /** Print the plan, change nothing. */
    PLAN,
    /** Apply once and exit. */
    ONCE,
    /** Apply, then serve the device plugin until SIGTERM. */
    SERVE
  }

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
      applied), until SIGTERM.

        --node-state FILE         the desired SriovNetworkNodeState (YAML or JSON); required on a
                                  real node
        --simulated-node[=FILE]   run against a SIMULATED node (built-in topology, or FILE); without
                                  --node-state it applies a bundled example desired state
        --plan                    print what would change, change nothing, exit 0
        --once                    apply once and exit: 0 Succeeded, 1 Failed
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
        --log-level LEVEL         error, warn, info (default), debug, trace
        --help                    this text

      With --simulated-node the state, kubelet, device-info and CDI dirs and the CNI socket default
      to a temp dir.
      Exit codes: 0 done, 1 the apply failed or the node or file is unusable, 2 bad flags.
      """;

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
    Objects.requireNonNull(logLevel, "logLevel");
  }

  /** A flag the user got wrong; the message names it. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code args}.
   *
   * @throws UsageException for an unknown flag, a missing or bad value, or flags that exclude each
   *     other
   */
  public static DaemonCommandLine parse(List<String> args) {
    Optional<Path> nodeState = Optional.empty();
    Optional<Optional<Path>> simulated = Optional.empty();
    boolean plan = false;
    boolean once = false;
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
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.equals("--")) {
        throw new UsageException("unexpected argument: " + arg);
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      switch (name) {
        case "node-state" -> {
          value = value != null ? value : next(args, ++i, name);
          nodeState = Optional.of(Path.of(nonEmpty(name, value)));
        }
        case "simulated-node" -> {
          if (value == null && i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
            value = args.get(++i);
          }
          simulated =
              Optional.of(
                  value == null ? Optional.empty() : Optional.of(Path.of(nonEmpty(name, value))));
        }
        case "plan" -> plan = noValue(name, value);
        case "once" -> once = noValue(name, value);
        case "use-cdi" -> useCdi = noValue(name, value);
        case "help" -> help = noValue(name, value);
        case "output" -> {
          value = value != null ? value : next(args, ++i, name);
          output = output(value);
          outputGiven = true;
        }
        case "resource-prefix" -> {
          value = value != null ? value : next(args, ++i, name);
          prefix = nonEmpty(name, value);
        }
        case "state-dir", "kubelet-dir", "device-info-dir", "cdi-dir", "sysfs-root" -> {
          value = value != null ? value : next(args, ++i, name);
          Path dir = Path.of(nonEmpty(name, value));
          switch (name) {
            case "state-dir" -> stateDir = Optional.of(dir);
            case "kubelet-dir" -> kubeletDir = Optional.of(dir);
            case "device-info-dir" -> devinfo = Optional.of(dir);
            case "cdi-dir" -> cdiDir = Optional.of(dir);
            default -> sysfsRoot = dir;
          }
        }
        case "cni-socket" -> {
          value = value != null ? value : next(args, ++i, name);
          cniSocket = Optional.of(cniSocket(value));
        }
        case "log-level" -> {
          value = value != null ? value : next(args, ++i, name);
          logLevel = level(value);
        }
        default -> throw new UsageException("unknown flag: " + arg);
      }
    }
    if (plan && once) {
      throw new UsageException("flags --plan and --once exclude each other");
    }
    if (plan && outputGiven) {
      throw new UsageException("flag --output: --plan prints the plan as text");
    }
    if (!help && nodeState.isEmpty() && simulated.isEmpty()) {
      throw new UsageException("flag --node-state is required (or --simulated-node)");
    }
    Mode mode = plan ? Mode.PLAN : once ? Mode.ONCE : Mode.SERVE;
    return new DaemonCommandLine(
        nodeState,
        simulated,
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
        sysfsRoot,
        logLevel,
        help);
  }

  private static String next(List<String> args, int i, String name) {
    if (i >= args.size() || args.get(i).startsWith("--")) {
      throw new UsageException("flag --" + name + " needs a value");
    }
    return args.get(i);
  }

  private static String nonEmpty(String name, String value) {
    if (value.isEmpty()) {
      throw new UsageException("flag --" + name + " needs a value");
    }
    return value;
  }

  private static boolean noValue(String name, String value) {
    if (value != null) {
      throw new UsageException("flag --" + name + " takes no value, got \"" + value + "\"");
    }
    return true;
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

  private static String level(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "error", "warn", "info", "debug", "trace" -> v;
      default ->
          throw new UsageException(
              "flag --log-level takes error, warn, info, debug or trace; got \"" + value + "\"");
    };
  }
}
