package io.sriov.deviceplugin.app;

import io.sriov.core.cli.Flags;
import io.sriov.core.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The executable's flags. Upstream's flags keep their names and defaults and may be written as
 * upstream's Go flag package accepts them ({@code -config-file x}, {@code --config-file=x}); every
 * flag upstream accepts (its own and glog v1.2's) is accepted, glog's checked as glog checks them
 * and ignored (logs go to stderr), so a DaemonSet written for upstream never crash-loops on one.
 *
 * @param configFileGiven whether {@code --config-file} was given (a simulated node without it uses
 *     the bundled example config)
 * @param logLevel an SLF4J level name: error, warn, info, debug, trace
 * @param simulatedNode empty: the real node; present: the simulated node, with the topology file
 *     when one was given
 */
public record CommandLine(
    Path configFile,
    boolean configFileGiven,
    String resourcePrefix,
    boolean useCdi,
    String logLevel,
    Path sysfsRoot,
    Path kubeletDir,
    Path cdiDir,
    Path deviceInfoDir,
    boolean dryRun,
    Optional<Optional<Path>> simulatedNode,
    boolean help) {

  public static final String USAGE =
      """
      Usage: sriov-device-plugin [flags]

      Upstream-compatible flags:
        --config-file=PATH        resource config (default /etc/pcidp/config.json)
        --resource-prefix=PREFIX  default resource prefix (default intel.com)
        --use-cdi                 answer Allocate with CDI annotations and write CDI specs
        --log-level=N|LEVEL, -v N glog verbosity (0-2 info, 3-5 debug, 6+ trace) or a level name
        --log-dir, --log_dir, --log_link, --logbuflevel, --logtostderr, --alsologtostderr,
        --stderrthreshold, --vmodule, --log_backtrace_at
                                  glog's, checked as glog does and ignored (logs go to stderr)

      Ours:
        --sysfs-root=DIR          root holding sys/ and dev/ (default /)
        --kubelet-dir=DIR         kubelet state dir (default /var/lib/kubelet)
        --cdi-dir=DIR             CDI spec dir (default /var/run/cdi)
        --device-info-dir=DIR     CNI device-info dir (default /var/run/k8s.cni.cncf.io/devinfo/dp)
        --dry-run                 print the pools and devices as JSON and exit
        --simulated-node[=FILE]   run against a SIMULATED node (built-in topology, or FILE);
                                  without --config-file it uses a bundled example config
        --help                    this text
      """;

  public CommandLine {
    Objects.requireNonNull(configFile, "configFile");
    Objects.requireNonNull(resourcePrefix, "resourcePrefix");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(sysfsRoot, "sysfsRoot");
    Objects.requireNonNull(kubeletDir, "kubeletDir");
    Objects.requireNonNull(cdiDir, "cdiDir");
    Objects.requireNonNull(deviceInfoDir, "deviceInfoDir");
    Objects.requireNonNull(simulatedNode, "simulatedNode");
  }

  /**
   * Parses {@code args}.
   *
   * @throws UsageException for an unknown flag, a missing or bad value
   */
  public static CommandLine parse(List<String> args) {
    Path configFile = Path.of("/etc/pcidp/config.json");
    boolean configGiven = false;
    String prefix = "intel.com";
    boolean useCdi = false;
    String logLevel = "info";
    Path sysfsRoot = Path.of("/");
    Path kubeletDir = Path.of("/var/lib/kubelet");
    Path cdiDir = Path.of("/var/run/cdi");
    Path devinfo = Path.of("/var/run/k8s.cni.cncf.io/devinfo/dp");
    boolean dryRun = false;
    Optional<Optional<Path>> simulated = Optional.empty();
    boolean help = false;
    Flags flags = new Flags(args, Flags.Style.GO);
    while (flags.next()) {
      String name = flags.name();
      switch (name) {
        case "config-file" -> {
          configFile = Path.of(flags.nonEmptyValue());
          configGiven = true;
        }
        case "resource-prefix" -> prefix = flags.nonEmptyValue();
        case "use-cdi" -> useCdi = bool(name, flags.inlineValue());
        case "dry-run" -> dryRun = bool(name, flags.inlineValue());
        case "help", "h" -> help = true;
        case "log-level", "v" -> logLevel = level(name, flags.value());
        case "log-dir", "log_dir", "log_link" -> flags.value();
        case "logtostderr", "alsologtostderr" -> bool(name, flags.inlineValue());
        case "stderrthreshold" -> severity(name, flags.value());
        case "vmodule" -> vmodule(name, flags.value());
        case "log_backtrace_at" -> backtraceAt(name, flags.value());
        case "logbuflevel" -> integer(name, flags.value());
        case "sysfs-root" -> sysfsRoot = Path.of(flags.nonEmptyValue());
        case "kubelet-dir" -> kubeletDir = Path.of(flags.nonEmptyValue());
        case "cdi-dir" -> cdiDir = Path.of(flags.nonEmptyValue());
        case "device-info-dir" -> devinfo = Path.of(flags.nonEmptyValue());
        case "simulated-node" -> simulated = Optional.of(flags.optionalValue().map(Path::of));
        default -> throw flags.unknown();
      }
    }
    return new CommandLine(
        configFile,
        configGiven,
        prefix,
        useCdi,
        logLevel,
        sysfsRoot,
        kubeletDir,
        cdiDir,
        devinfo,
        dryRun,
        simulated,
        help);
  }

  /** Go's {@code strconv.ParseBool}, as the flag package reads {@code -flag=value}. */
  private static boolean bool(String name, String value) {
    if (value == null) {
      return true;
    }
    switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> {
        return true;
      }
      case "0", "f", "F", "false", "FALSE", "False" -> {
        return false;
      }
      default ->
          throw new UsageException(
              "flag --" + name + " takes true or false, got \"" + value + "\"");
    }
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException("flag --" + name + " takes an integer, got \"" + value + "\"");
    }
  }

  /** glog's {@code -stderrthreshold}: INFO, WARNING, ERROR, FATAL (any case) or 0-3. */
  private static void severity(String name, String value) {
    switch (value.toUpperCase(Locale.ROOT)) {
      case "INFO", "WARNING", "ERROR", "FATAL", "0", "1", "2", "3" -> {
        // accepted; logs go to stderr whatever the threshold
      }
      default ->
          throw new UsageException(
              "flag --"
                  + name
                  + " takes INFO, WARNING, ERROR, FATAL or 0-3, got \""
                  + value
                  + "\"");
    }
  }

  /** glog's {@code -vmodule}: comma-separated {@code pattern=N}, empty entries ignored. */
  private static void vmodule(String name, String value) {
    for (String pat : value.split(",", -1)) {
      if (pat.isEmpty()) {
        continue;
      }
      String[] p = pat.split("=", -1);
      if (p.length != 2 || p[0].isEmpty() || !p[1].matches("[-+]?[0-9]+")) {
        throw new UsageException(
            "flag --" + name + " takes a comma-separated list of pattern=N, got \"" + value + "\"");
      }
    }
  }

  /** glog's {@code -log_backtrace_at}: comma-separated {@code file.go:N}, empty entries ignored. */
  private static void backtraceAt(String name, String value) {
    for (String loc : value.split(",", -1)) {
      if (!loc.isEmpty() && !loc.matches("[^:]+:[0-9]+")) {
        throw new UsageException(
            "flag --" + name + " takes a comma-separated list of file:N, got \"" + value + "\"");
      }
    }
  }

  /** glog verbosity or an SLF4J level name, as an SLF4J level name. */
  static String level(String name, String value) {
    Optional<String> named = Flags.logLevel(value);
    if (named.isPresent()) {
      return named.get();
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n <= 2 ? "info" : n <= 5 ? "debug" : "trace";
    } catch (NumberFormatException e) {
      throw new UsageException(
          "flag --"
              + name
              + " takes a verbosity >= 0 or one of error, warn, info, debug, trace; got \""
              + value
              + "\"");
    }
  }

  /** {@code <kubelet-dir>/device-plugins}. */
  public Path devicePluginsDir() {
    return kubeletDir.resolve("device-plugins");
  }

  /** {@code <kubelet-dir>/plugins_registry}. */
  public Path pluginsRegistryDir() {
    return kubeletDir.resolve("plugins_registry");
  }
}
