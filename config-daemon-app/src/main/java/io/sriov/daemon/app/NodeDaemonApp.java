package io.sriov.daemon.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.bond.BondPlugin;
import io.sriov.cni.server.CniServer;
import io.sriov.cni.server.CniServerOptions;
import io.sriov.cni.sriov.StateDir;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.value.InvalidValueException;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.desired.InvalidNodeStateException;
import io.sriov.daemon.desired.NodeStateValidator;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.ownership.FileOwnershipStore;
import io.sriov.daemon.ownership.MalformedRecordException;
import io.sriov.daemon.plan.Planner;
import io.sriov.daemon.state.NodeStateCodec;
import io.sriov.daemon.state.NodeStateFormatException;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.daemon.status.StatusTable;
import io.sriov.deviceplugin.EmbeddedDevicePlugin;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.node.Node;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code sriov-node}: opens the node the flags name, builds the node engine
 * ({@link NodeEngine}) on it, reads the desired {@code SriovNetworkNodeState}, and then prints the
 * plan ({@code --plan}), applies once ({@code --once}), or applies and serves the embedded device
 * plugin with pools rendered from the desired state ({@link DesiredPools}) until stopped. {@link
 * NodeDaemonMain} runs it. Exit codes: 0 done (plan, help, Succeeded, stopped), 1 the apply failed
 * or the node or file is unusable, 2 bad flags.
 */
public final class NodeDaemonApp {
  /** The example desired state for the built-in simulated topology. */
  static final String EXAMPLE_STATE = "simulated-node-state.yaml";

  static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/sriov-node");
  static final Path DEFAULT_KUBELET_DIR = Path.of("/var/lib/kubelet");
  static final Path DEFAULT_DEVICE_INFO_DIR = Path.of("/var/run/k8s.cni.cncf.io/devinfo/dp");
  static final Path DEFAULT_CDI_DIR = Path.of("/var/run/cdi");

  /** How many PFs are applied at once. */
  static final int PARALLELISM = 4;

  private static final String NAME = "sriov-node";

  /** Blocks until the process is asked to stop (SIGTERM in {@link NodeDaemonMain}). */
  @FunctionalInterface
  public interface StopSignal {
    void await() throws InterruptedException;
  }

  private NodeDaemonApp() {}

  /** Runs the daemon; a serving run returns when {@code stop} does. Returns the exit code. */
  public static int run(
      List<String> args, PrintStream out, PrintStream err, NodeFactory nodes, StopSignal stop) {
    DaemonCommandLine cmd;
    try {
      cmd = DaemonCommandLine.parse(args);
    } catch (DaemonCommandLine.UsageException e) {
      err.println(NAME + ": " + e.getMessage());
      err.print(DaemonCommandLine.USAGE);
      return 2;
    }
    if (cmd.help()) {
      out.print(DaemonCommandLine.USAGE);
      return 0;
    }
    ResourcePrefix prefix;
    try {
      prefix = ResourcePrefix.of(cmd.resourcePrefix());
    } catch (InvalidValueException e) {
      err.println(NAME + ": flag --resource-prefix: " + e.getMessage());
      err.print(DaemonCommandLine.USAGE);
      return 2;
    }
    // slf4j-simple reads its level once, when the first logger is created: no logger before this.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", cmd.logLevel());
    Logger log = LoggerFactory.getLogger(NodeDaemonApp.class);
    Path scratch = null;
    try {
      SriovNetworkNodeState desired = readDesired(cmd);
      if (cmd.simulatedNode().isPresent()) {
        scratch = Files.createTempDirectory("sriov-node-simulated-");
      }
      Dirs dirs = Dirs.of(cmd, scratch);
      try (Node node = nodes.open(cmd)) {
        log.info("node {}", node.label());
        NodeEngine engine = engine(node, dirs.state());
        return switch (cmd.mode()) {
          case PLAN -> plan(engine, desired, out, err);
          case ONCE -> once(engine, desired, cmd, out, err).succeeded() ? 0 : 1;
          case SERVE -> serve(engine, desired, cmd, dirs, prefix, node, out, err, stop, log);
        };
      }
    } catch (NodeStateFormatException | MalformedRecordException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println(NAME + ": " + e);
      return 1;
    } finally {
      deleteTree(scratch, log);
    }
  }

  /**
   * The directories the run writes, after the simulated-node defaults.
   *
   * @param cniSocket empty: no CNI server
   * @param cniState the sriov CNI plugin's caches and locks (the standalone plugin's on a real
   *     node)
   */
  record Dirs(
      Path state,
      Path kubelet,
      Path deviceInfo,
      Path cdi,
      Optional<Path> cniSocket,
      Path cniSriovState,
      Path cniBondState) {
    static Dirs of(DaemonCommandLine cmd, Path scratch) {
      boolean sim = scratch != null;
      return new Dirs(
          cmd.stateDir().orElse(sim ? scratch.resolve("state") : DEFAULT_STATE_DIR),
          cmd.kubeletDir().orElse(sim ? scratch.resolve("kubelet") : DEFAULT_KUBELET_DIR),
          cmd.deviceInfoDir().orElse(sim ? scratch.resolve("devinfo") : DEFAULT_DEVICE_INFO_DIR),
          cmd.cdiDir().orElse(sim ? scratch.resolve("cdi") : DEFAULT_CDI_DIR),
          cmd.cniSocket()
              .orElse(
                  Optional.of(
                      sim ? scratch.resolve("cni/cni.sock") : CniServerOptions.DEFAULT_SOCKET)),
          sim ? scratch.resolve("cni-state/sriov") : StateDir.DEFAULT_ROOT,
          sim ? scratch.resolve("cni-state/bond") : BondPlugin.DEFAULT_STATE_DIR);
    }
  }

  private static SriovNetworkNodeState readDesired(DaemonCommandLine cmd) throws IOException {
    NodeStateCodec codec = new NodeStateCodec();
    if (cmd.nodeState().isPresent()) {
      Path file = cmd.nodeState().get();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new NodeStateFormatException("cannot read node state file " + file + ": " + e, e);
      }
      try {
        return codec.read(text);
      } catch (NodeStateFormatException e) {
        throw new NodeStateFormatException(file + ": " + e.getMessage(), e);
      }
    }
    try (InputStream in = NodeDaemonApp.class.getResourceAsStream(EXAMPLE_STATE)) {
      if (in == null) {
        throw new IOException(EXAMPLE_STATE + " missing from the jar");
      }
      return codec.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The engine on {@code node}: its discovery, sysfs writer, rtnetlink and devlink. */
  static NodeEngine engine(Node node, Path stateDir) throws IOException {
    RtnlOperations rtnl =
        node.rtnl()
            .orElseThrow(
                () ->
                    new IOException(
                        "node "
                            + node.label()
                            + " has no rtnetlink: PF and VF link settings cannot be read or"
                            + " applied"));
    DevlinkOperations devlink = node.devlink().orElseGet(NoDevlink::new);
    SriovProvisioner provisioner =
        new SriovProvisioner(node.root(), node.sysfsWriter(), ProvisionTimeouts.defaults());
    NodeObserver observer = new NodeObserver(node.discovery(), rtnl, devlink);
    FileOwnershipStore ownership = FileOwnershipStore.open(stateDir.resolve("owned-pfs.json"));
    Applier applier = new Applier(provisioner, rtnl, devlink, observer, ownership, PARALLELISM);
    return new NodeEngine(
        observer,
        new NodeStateValidator(),
        new Planner(),
        applier,
        ownership,
        new StatusReporter());
  }

  private static int plan(
      NodeEngine engine, SriovNetworkNodeState desired, PrintStream out, PrintStream err) {
    try {
      out.print(engine.plan(desired).render());
      return 0;
    } catch (InvalidNodeStateException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    } catch (UncheckedIOException e) {
      err.println(NAME + ": cannot read the ownership record: " + e.getCause());
      return 1;
    }
  }

  /** One reconcile pass; the object on stdout, the apply report and any error on stderr. */
  private static NodeEngine.Pass once(
      NodeEngine engine,
      SriovNetworkNodeState desired,
      DaemonCommandLine cmd,
      PrintStream out,
      PrintStream err) {
    NodeEngine.Pass pass = engine.reconcile(desired);
    pass.report().ifPresent(r -> err.print(r.render()));
    NodeStateCodec codec = new NodeStateCodec();
    switch (cmd.output()) {
      case JSON -> out.print(codec.toJson(pass.state()));
      case YAML -> out.print(codec.toYaml(pass.state()));
      case TABLE -> out.print(new StatusTable().render(pass.state().status()));
    }
    if (!pass.succeeded()) {
      err.println(NAME + ": " + pass.state().status().lastSyncError());
    }
    return pass;
  }

  private static int serve(
      NodeEngine engine,
      SriovNetworkNodeState desired,
      DaemonCommandLine cmd,
      Dirs dirs,
      ResourcePrefix prefix,
      Node node,
      PrintStream out,
      PrintStream err,
      StopSignal stop,
      Logger log)
      throws IOException {
    NodeEngine.Pass pass = once(engine, desired, cmd, out, err);
    if (pass.desired().isEmpty() || pass.report().isEmpty()) {
      return 1; // rejected: nothing was applied, nothing to serve
    }
    DesiredPools.Pools pools =
        DesiredPools.render(
            pass.desired().get(), pass.report().get(), pass.state().status(), prefix);
    if (!pools.withoutDevices().isEmpty()) {
      log.warn("pools not served, none of their PFs applied: {}", pools.withoutDevices());
    }
    DevicePluginConfig config = DevicePluginConfig.of("desired node state", pools.pools());
    KubeletPaths kubelet =
        new KubeletPaths(
            dirs.kubelet().resolve("device-plugins"), dirs.kubelet().resolve("plugins_registry"));
    if (node.simulated()) {
      // a simulated node has no kubelet: its dirs are made here, for a stand-in or a look
      Files.createDirectories(kubelet.devicePlugins());
      Files.createDirectories(kubelet.pluginsRegistry());
    }
    err.println(
        NAME
            + ": serving the device plugin, kubelet dir "
            + dirs.kubelet()
            + (node.simulated() ? " (a temp dir unless --kubelet-dir: SIMULATED node)" : ""));
    MeterRegistry registry = new SimpleMeterRegistry();
    EmbeddedDevicePlugin plugin =
        EmbeddedDevicePlugin.start(
            new EmbeddedDevicePlugin.Options(
                cmd.useCdi(),
                kubelet,
                dirs.cdi(),
                dirs.deviceInfo(),
                EmbeddedDevicePlugin.Timings.DEFAULT),
            node,
            registry,
            config);
    CniServer cni = null;
    try {
      if (dirs.cniSocket().isPresent()) {
        cni =
            CniServer.start(
                CniServerOptions.defaults(dirs.cniSocket().get()),
                CniPlugins.on(node, dirs.cniSriovState(), dirs.cniBondState()),
                registry);
        err.println(NAME + ": serving CNI calls on " + dirs.cniSocket().get());
      }
      log.info("serving pools={}", pools.pools().stream().map(p -> p.fullName()).toList());
      stop.await();
      log.info("stopping");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (cni != null) {
        cni.close();
      }
      plugin.close();
    }
    return 0;
  }

  private static void deleteTree(Path dir, Logger log) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot remove dir={} error={}", dir, e.toString());
    }
  }
}
