package io.sriov.daemon.app;

import io.fabric8.kubernetes.client.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.bond.BondPlugin;
import io.sriov.cni.server.CniServer;
import io.sriov.cni.server.CniServerOptions;
import io.sriov.cni.sriov.StateDir;
import io.sriov.core.cli.UsageException;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.retry.Backoff;
import io.sriov.core.value.InvalidValueException;
import io.sriov.daemon.desired.InvalidNodeStateException;
import io.sriov.daemon.engine.DrainGate;
import io.sriov.daemon.engine.DriftWatch;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.engine.NodeEngines;
import io.sriov.daemon.engine.ReconcileLoop;
import io.sriov.daemon.ownership.MalformedRecordException;
import io.sriov.daemon.state.NodeStateCodec;
import io.sriov.daemon.state.NodeStateFormatException;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.SavedNodeState;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.status.StatusTable;
import io.sriov.deviceplugin.EmbeddedDevicePlugin;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.KubeletPodResources;
import io.sriov.node.Node;
import io.sriov.observability.NodeCollector;
import io.sriov.observability.Observability;
import io.sriov.observability.http.MetricsServer;
import io.sriov.observability.vf.VfTraffic;
import io.sriov.os.watch.DirectoryWatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

  /** Deadline of kubelet's PodResources List at a scrape. */
  static final Duration POD_RESOURCES_TIMEOUT = Duration.ofSeconds(3);

  /** How often the metrics re-read which PFs and VFs exist (besides after each apply). */
  static final Duration INVENTORY_REFRESH = Duration.ofSeconds(30);

  private static final String NAME = "sriov-node";

  /** Blocks until the process is asked to stop (SIGTERM in {@link NodeDaemonMain}). */
  @FunctionalInterface
  public interface StopSignal {
    void await() throws InterruptedException;
  }

  private NodeDaemonApp() {}

  /**
   * Runs the daemon without an environment (no {@code NODE_NAME}/{@code NAMESPACE} defaults); a
   * serving run returns when {@code stop} does. Returns the exit code.
   */
  public static int run(
      List<String> args, PrintStream out, PrintStream err, NodeFactory nodes, StopSignal stop) {
    return run(args, Map.of(), out, err, nodes, stop);
  }

  /**
   * Runs the daemon with {@code env} (the process environment in {@link NodeDaemonMain}: {@code
   * NODE_NAME} and {@code NAMESPACE} default {@code --node-name} and {@code --namespace}); a
   * serving run returns when {@code stop} does. Returns the exit code.
   */
  public static int run(
      List<String> args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      NodeFactory nodes,
      StopSignal stop) {
    DaemonCommandLine cmd;
    try {
      cmd = DaemonCommandLine.parse(args, env);
    } catch (UsageException e) {
      err.println(NAME + ": " + e.getMessage());
      err.print(DaemonCommandLine.USAGE);
      return 2;
    }
    if (cmd.help()) {
      out.print(DaemonCommandLine.USAGE);
      return 0;
    }
    if (cmd.version()) {
      out.println(NAME + " " + DaemonVersion.current());
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
      if (cmd.simulatedNode().isPresent()) {
        scratch = Files.createTempDirectory("sriov-node-simulated-");
      }
      Dirs dirs = Dirs.of(cmd, scratch);
      Optional<Desired> read = readDesired(cmd, dirs);
      if (read.isEmpty()) {
        err.println(
            NAME
                + ": nothing to apply: no desired state saved in "
                + new SavedNodeState(dirs.state()).file()
                + " (the daemon saves it at every apply)");
        return 0;
      }
      SriovNetworkNodeState desired = read.get().state();
      try (Node node = nodes.open(cmd);
          Observability obs = new Observability()) {
        log.info("node {}", node.label());
        NodeEngine engine = NodeEngines.on(node, dirs.state(), cmd.parallelism(), obs.registry());
        return switch (cmd.mode()) {
          case PLAN -> plan(engine, desired, out, err);
          case ONCE -> once(engine, desired, cmd, dirs, out, err).succeeded() ? 0 : 1;
          case SERVE ->
              serve(engine, read.get(), cmd, dirs, prefix, node, obs, out, err, stop, log);
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

  /**
   * The desired state and, when it came from {@code --node-state}, the file's text (the watch's
   * starting point).
   */
  record Desired(SriovNetworkNodeState state, Optional<String> fileText) {}

  /**
   * The desired state: {@code --node-state}, the state saved in the state dir ({@code
   * --apply-saved}; empty when none was saved), in cluster mode the state last applied (saved in
   * the state dir; none: an empty spec), or the bundled example for the simulated node.
   */
  private static Optional<Desired> readDesired(DaemonCommandLine cmd, Dirs dirs)
      throws IOException {
    NodeStateCodec codec = new NodeStateCodec();
    if (cmd.cluster().isPresent()) {
      String node = cmd.cluster().get().nodeName();
      return Optional.of(
          new Desired(
              new SavedNodeState(dirs.state())
                  .load()
                  .orElseGet(() -> SriovNetworkNodeState.of(node, NodeStateSpec.of(List.of()))),
              Optional.empty()));
    }
    if (cmd.applySaved()) {
      return new SavedNodeState(dirs.state()).load().map(s -> new Desired(s, Optional.empty()));
    }
    if (cmd.nodeState().isPresent()) {
      Path file = cmd.nodeState().get();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new NodeStateFormatException(NodeStateFileWatch.cannotRead(file, e), e);
      }
      return Optional.of(new Desired(codec.read(file, text), Optional.of(text)));
    }
    try (InputStream in = NodeDaemonApp.class.getResourceAsStream(EXAMPLE_STATE)) {
      if (in == null) {
        throw new IOException(EXAMPLE_STATE + " missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Optional.of(new Desired(codec.read(text), Optional.empty()));
    }
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

  /**
   * One reconcile pass; the object on stdout, the apply report and any error on stderr. An accepted
   * desired state is saved in the state dir for the boot re-apply.
   */
  private static NodeEngine.Pass once(
      NodeEngine engine,
      SriovNetworkNodeState desired,
      DaemonCommandLine cmd,
      Dirs dirs,
      PrintStream out,
      PrintStream err) {
    NodeEngine.Pass pass = engine.reconcile(desired);
    ServedPools.save(new SavedNodeState(dirs.state()), pass);
    pass.report().ifPresent(r -> err.print(r.render()));
    print(cmd, pass, out);
    if (!pass.succeeded()) {
      err.println(NAME + ": " + pass.state().status().lastSyncError());
    }
    return pass;
  }

  private static int serve(
      NodeEngine engine,
      Desired desired,
      DaemonCommandLine cmd,
      Dirs dirs,
      ResourcePrefix prefix,
      Node node,
      Observability obs,
      PrintStream out,
      PrintStream err,
      StopSignal stop,
      Logger log)
      throws IOException {
    Optional<Config> clusterConfig = Optional.empty();
    if (cmd.cluster().isPresent()) {
      try {
        clusterConfig = Optional.of(ClusterMode.config(cmd.cluster().get()));
      } catch (ClusterMode.KubeconfigException e) {
        err.println(NAME + ": " + e.getMessage());
        return 1;
      }
    }
    // Health before the first apply: /healthz answers while it runs, /readyz says why not yet.
    String notApplied =
        cmd.cluster().isPresent()
            ? "no desired state from the API server applied yet (cluster mode, node "
                + cmd.cluster().get().nodeName()
                + ")"
            : "the first apply pass has not finished";
    obs.readiness()
        .add("apply", () -> engine.passFinished() ? Optional.empty() : Optional.of(notApplied));
    if (cmd.metricsPort() != 0) {
      InetSocketAddress bind = new InetSocketAddress(cmd.metricsBindAddress(), cmd.metricsPort());
      try {
        InetSocketAddress at = obs.serve(bind, MetricsServer.Limits.DEFAULT);
        err.println(NAME + ": metrics on http://" + hostPort(at) + "/metrics (/healthz, /readyz)");
      } catch (UncheckedIOException e) {
        err.println(NAME + ": flag --metrics-port: " + e.getMessage());
        return 1;
      }
    }
    MeterRegistry meters = obs.registry();
    // The CNI server first: pods' CNI calls are served from the daemon's start, whatever the first
    // apply takes and whether the desired state has pools for the device plugin.
    try (CniServer cni = startCni(dirs, node, meters, err);
        DevicePluginSlot plugin =
            new DevicePluginSlot(config -> startDevicePlugin(cmd, dirs, node, meters, config))) {
      NodeEngine.Pass pass;
      DesiredPools.Pools pools;
      if (cmd.cluster().isPresent()) {
        pass = observe(engine, desired.state(), cmd, dirs, out);
        pools = observedPools(pass, prefix);
      } else {
        pass = once(engine, desired.state(), cmd, dirs, out, err);
        if (pass.desired().isEmpty() || pass.report().isEmpty()) {
          return 1; // rejected: nothing was applied, nothing to serve
        }
        pools =
            DesiredPools.render(
                pass.desired().get(), pass.report().get(), pass.state().status(), prefix);
      }
      if (!pools.withoutDevices().isEmpty()) {
        log.warn("pools not served, none of their PFs applied: {}", pools.withoutDevices());
      }
      plugin.serve(pools.pools());
      err.println(
          NAME
              + (plugin.running()
                  ? ": serving the device plugin, kubelet dir " + dirs.kubelet()
                  : ": no pools in the desired state: the device plugin starts with the first pool")
              + (node.simulated() ? " (a temp dir unless --kubelet-dir: SIMULATED node)" : ""));
      obs.readiness().add("device-plugin", plugin::notRegistered);
      obs.liveness().add("device-plugin", plugin::stalled);
      try (KubeletPodResources pods =
          new KubeletPodResources(
              dirs.kubelet().resolve(KubeletPodResources.SOCKET), POD_RESOURCES_TIMEOUT)) {
        NodeCollector inventory =
            new NodeCollector(
                node.discovery(),
                new VfTraffic(
                    node.rtnl().orElseThrow(),
                    node.rtnlNamespaces().orElseThrow(),
                    // the sriov CNI's allocation records (read only: its locks are not taken)
                    new StateDir(dirs.cniSriovState())::allocatedNetns,
                    meters),
                pods,
                plugin::pools,
                meters);
        obs.collect(inventory, INVENTORY_REFRESH);
        log.info("serving pools={}", pools.pools().stream().map(p -> p.fullName()).toList());
        ServedPools served =
            new ServedPools(plugin, prefix, new SavedNodeState(dirs.state()), pools.pools());
        Optional<ClusterMode> cluster =
            clusterConfig.map(c -> new ClusterMode(cmd.cluster().get(), c, pods, prefix, meters));
        try {
          follow(engine, desired, cmd, node, served, inventory, meters, pass, cluster, stop);
        } finally {
          cluster.ifPresent(ClusterMode::close);
        }
        log.info("stopping");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The CNI server on {@code --cni-socket}; null when the flag turned it off. */
  private static CniServer startCni(Dirs dirs, Node node, MeterRegistry meters, PrintStream err)
      throws IOException {
    if (dirs.cniSocket().isEmpty()) {
      return null;
    }
    CniServer cni =
        CniServer.start(
            CniServerOptions.defaults(dirs.cniSocket().get()),
            CniPlugins.on(node, dirs.cniSriovState(), dirs.cniBondState()),
            meters);
    err.println(NAME + ": serving CNI calls on " + dirs.cniSocket().get());
    return cni;
  }

  /** The embedded device plugin on its first pools (see {@link DevicePluginSlot}). */
  private static EmbeddedDevicePlugin startDevicePlugin(
      DaemonCommandLine cmd,
      Dirs dirs,
      Node node,
      MeterRegistry meters,
      DevicePluginConfig config) {
    KubeletPaths kubelet =
        new KubeletPaths(
            dirs.kubelet().resolve("device-plugins"), dirs.kubelet().resolve("plugins_registry"));
    if (node.simulated()) {
      // a simulated node has no kubelet: its dirs are made here, for a stand-in or a look
      try {
        Files.createDirectories(kubelet.devicePlugins());
        Files.createDirectories(kubelet.pluginsRegistry());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return EmbeddedDevicePlugin.start(
        new EmbeddedDevicePlugin.Options(
            cmd.useCdi(),
            kubelet,
            dirs.cdi(),
            dirs.deviceInfo(),
            EmbeddedDevicePlugin.Timings.DEFAULT),
        node,
        meters,
        config);
  }

  /**
   * Cluster mode's first pass: the node observed against the state last applied (saved in the state
   * dir), nothing applied before the API server's desired state is rendered; the status on stdout.
   */
  private static NodeEngine.Pass observe(
      NodeEngine engine,
      SriovNetworkNodeState saved,
      DaemonCommandLine cmd,
      Dirs dirs,
      PrintStream out) {
    NodeEngine.Pass pass =
        engine.observe(
            saved, "first pass after start: observing until the API server's desired state");
    if (pass.desired().isEmpty()) {
      LoggerFactory.getLogger(NodeDaemonApp.class)
          .warn(
              "the state last applied no longer fits the node, serving no pool until the API"
                  + " server's desired state error=\"{}\"",
              pass.state().status().lastSyncError());
    }
    print(cmd, pass, out);
    return pass;
  }

  /**
   * The pools of the state last applied, with the VFs of the PFs the node still has as it was
   * applied (the PF's plan has no change): the device plugin keeps serving them through a restart,
   * whether or not the API server answers.
   */
  static DesiredPools.Pools observedPools(NodeEngine.Pass pass, ResourcePrefix prefix) {
    if (pass.desired().isEmpty() || pass.plan().isEmpty()) {
      return new DesiredPools.Pools(List.of(), List.of());
    }
    var plan = pass.plan().get();
    return DesiredPools.render(
        pass.desired().get(),
        pf ->
            plan.pfs().stream().anyMatch(p -> p.observed().address().equals(pf) && !p.hasChanges()),
        pass.state().status(),
        prefix);
  }

  /** The pass's node state on stdout in the {@code --output} format. */
  private static void print(DaemonCommandLine cmd, NodeEngine.Pass pass, PrintStream out) {
    NodeStateCodec codec = new NodeStateCodec();
    switch (cmd.output()) {
      case JSON -> out.print(codec.toJson(pass.state()));
      case YAML -> out.print(codec.toYaml(pass.state()));
      case TABLE -> out.print(new StatusTable().render(pass.state().status()));
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /**
   * While serving: drift re-checks from the node's events, the node-state file re-read on change,
   * each pass's pools handed to the device plugin and the metrics' VF inventory re-read; until
   * {@code stop}.
   */
  private static void follow(
      NodeEngine engine,
      Desired desired,
      DaemonCommandLine cmd,
      Node node,
      ServedPools served,
      NodeCollector inventory,
      MeterRegistry meters,
      NodeEngine.Pass first,
      Optional<ClusterMode> cluster,
      StopSignal stop)
      throws IOException, InterruptedException {
    ReconcileLoop.Listener afterPass =
        (cause, pass) -> {
          served.passed(cause, pass);
          cluster.ifPresent(c -> c.passed(cause, pass));
          try {
            inventory.refreshInventory();
          } catch (RuntimeException e) {
            LoggerFactory.getLogger(NodeDaemonApp.class)
                .warn("VF inventory refresh failed error=\"{}\"", e.toString());
          }
        };
    DrainGate gate = cluster.map(ClusterMode::gate).orElse(DrainGate.NONE);
    try (ReconcileLoop loop =
            new ReconcileLoop(
                engine, first.state(), gate, Backoff.Delays.DEFAULT, meters, afterPass);
        DriftWatch drift =
            new DriftWatch(
                node.links(),
                node.deviceEvents(),
                DriftWatch.QUIET,
                DriftWatch.MAX_DELAY,
                // cluster mode: nothing is applied before the first rendered desired state
                () -> {
                  if (cluster.isEmpty() || cluster.get().rendered()) {
                    loop.recheck();
                  }
                });
        DirectoryWatch file = watchFile(cmd, desired, loop)) {
      cluster.ifPresent(c -> c.start(loop::desiredChanged, first));
      if (!drift.watching()) {
        LoggerFactory.getLogger(NodeDaemonApp.class)
            .warn("node has no link or device events: drift is not repaired while serving");
      }
      stop.await();
    }
  }

  /** The inotify watch of {@code --node-state}; null for the bundled example. */
  private static DirectoryWatch watchFile(
      DaemonCommandLine cmd, Desired desired, ReconcileLoop loop) throws IOException {
    if (cmd.nodeState().isEmpty() || desired.fileText().isEmpty()) {
      return null;
    }
    return new NodeStateFileWatch(
            cmd.nodeState().get(), desired.fileText().get(), loop::desiredChanged)
        .start();
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
