package io.sriov.deviceplugin.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.cli.UsageException;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.value.InvalidValueException;
import io.sriov.deviceplugin.EmbeddedDevicePlugin;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.config.ConfigPoolPlanner;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.config.PoolPlanner;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.node.Node;
import io.sriov.node.NodeOpenException;
import io.sriov.os.watch.DirectoryWatch;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The composition root of the standalone device plugin: opens the node the command line asks for,
 * reads the config file, and runs the engine ({@link EmbeddedDevicePlugin}) with the file watched
 * for changes, or prints the dry run. {@link DevicePluginMain} runs it. Exit codes: 0 done (dry
 * run, help, stopped by SIGTERM, SIGINT or SIGHUP after a clean stop), 1 unusable config or node, 2
 * bad flags. SIGQUIT stays the JVM's thread dump.
 */
public final class DevicePluginApp {
  private static final Logger log = LoggerFactory.getLogger(DevicePluginApp.class);

  /** Example resource config for the built-in simulated node. */
  static final String EXAMPLE_CONFIG = "simulated-config.json";

  /** The signals that stop the plugin cleanly with exit status 0 (upstream's set minus QUIT). */
  static final List<String> STOP_SIGNALS = List.of("TERM", "INT", "HUP");

  private DevicePluginApp() {}

  /** Runs the plugin; returns only for a dry run, help, a stop signal, or an error (the code). */
  public static int run(List<String> args, PrintStream out, PrintStream err, NodeFactory nodes) {
    CommandLine cmd;
    try {
      cmd = CommandLine.parse(args);
    } catch (UsageException e) {
      err.println("sriov-device-plugin: " + e.getMessage());
      err.print(CommandLine.USAGE);
      return 2;
    }
    if (cmd.help()) {
      out.print(CommandLine.USAGE);
      return 0;
    }
    // slf4j-simple reads its level once, when the first logger is created.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", cmd.logLevel());
    ResourcePrefix prefix;
    try {
      prefix = ResourcePrefix.of(cmd.resourcePrefix());
    } catch (InvalidValueException e) {
      err.println("sriov-device-plugin: --resource-prefix: " + e.getMessage());
      return 2;
    }
    try (Node node = nodes.open(cmd)) {
      boolean cmdGiven = cmd.configFileGiven();
      Path configFile = node.simulated() && !cmdGiven ? exampleConfig() : cmd.configFile();
      String text = ConfigFileWatcher.read(configFile);
      DevicePluginConfig config = ConfigFileWatcher.parse(configFile, text, prefix);
      if (cmd.dryRun()) {
        PoolPlanner planner = new ConfigPoolPlanner(node.discovery(), node.defaultRouteLinks());
        InfoProviders providers = new InfoProviders(new DeviceNodes(node.root()));
        PoolPlanner.Plan plan = planner.plan(config);
        List<LinkEvent> links = node.links().map(m -> m.snapshot()).orElse(List.of());
        String configName =
            node.simulated() && !cmdGiven
                ? "built-in example for the simulated node (" + EXAMPLE_CONFIG + ")"
                : configFile.toString();
        out.println(
            DryRun.render(
                node.label(),
                configName,
                plan,
                providers,
                links,
                new KubeletPaths(cmd.devicePluginsDir(), cmd.pluginsRegistryDir())));
        return 0;
      }
      return serve(cmd, configFile, prefix, text, config, node);
    } catch (PlanException e) {
      err.println("sriov-device-plugin: " + e.getMessage());
      return 1;
    } catch (NodeOpenException e) {
      err.println("sriov-device-plugin: --sysfs-root=" + cmd.sysfsRoot() + ": " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("sriov-device-plugin: " + e);
      return 1;
    }
  }

  /** The simulated node without --config-file: the bundled example, copied to a temp file. */
  private static Path exampleConfig() throws IOException {
    Path file = Files.createTempFile("sriov-dp-simulated-config-", ".json");
    file.toFile().deleteOnExit();
    try (InputStream in = DevicePluginApp.class.getResourceAsStream(EXAMPLE_CONFIG)) {
      if (in == null) {
        throw new IOException(EXAMPLE_CONFIG + " missing from the jar");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  private static int serve(
      CommandLine cmd,
      Path configFile,
      ResourcePrefix prefix,
      String text,
      DevicePluginConfig config,
      Node node) {
    MeterRegistry meters = new SimpleMeterRegistry();
    EmbeddedDevicePlugin plugin =
        EmbeddedDevicePlugin.start(
            new EmbeddedDevicePlugin.Options(
                cmd.useCdi(),
                new KubeletPaths(cmd.devicePluginsDir(), cmd.pluginsRegistryDir()),
                cmd.cdiDir(),
                cmd.deviceInfoDir(),
                EmbeddedDevicePlugin.Timings.DEFAULT),
            node,
            meters,
            config);
    ConfigFileWatcher watcher =
        new ConfigFileWatcher(configFile, prefix, plugin::update, meters, text);
    DirectoryWatch configWatch;
    try {
      configWatch = watcher.watch();
    } catch (IOException e) {
      plugin.close();
      throw new UncheckedIOException("cannot watch config file " + configFile, e);
    }
    // SIGTERM (kubelet / the container runtime stopping the pod), SIGINT and SIGHUP stop the plugin
    // cleanly and it exits 0, as upstream's does (its main returns): a DaemonSet rollout then shows
    // the old pod as Completed, not as Error with exit code 143, which monitoring counts as a
    // crash. The JVM's default handler would run the shutdown hooks and exit 128 + 15.
    CountDownLatch stop = new CountDownLatch(1);
    List<String> received = new CopyOnWriteArrayList<>();
    for (String name : STOP_SIGNALS) {
      Signal.handle(
          new Signal(name),
          s -> {
            received.add("SIG" + s.getName());
            stop.countDown();
          });
    }
    // Any other way out (an error elsewhere calling System.exit) still cleans up.
    Runnable shutdown =
        () -> {
          configWatch.close();
          plugin.close();
          node.close();
        };
    Thread hook = new Thread(shutdown, "sriov-dp-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("stopping signal={}", received.isEmpty() ? "none" : received.get(0));
    shutdown.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs, close is idempotent.
    }
    return 0;
  }
}
