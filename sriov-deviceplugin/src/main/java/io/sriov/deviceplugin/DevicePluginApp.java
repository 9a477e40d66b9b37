package io.sriov.deviceplugin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.value.InvalidValueException;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.config.ConfigPoolPlanner;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.config.PoolPlanner;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.node.NodeAccess;
import io.sriov.deviceplugin.node.NodeFactory;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The composition root of the device plugin: wires the node, the planner, the manager and the
 * reconciler from the command line. {@link DevicePluginMain} runs it. Exit codes: 0 done (dry run,
 * help, stopped by a signal), 1 unusable config or node, 2 bad flags.
 */
public final class DevicePluginApp {
  /** Example resource config for the built-in simulated node. */
  static final String EXAMPLE_CONFIG = "simulated-config.json";

  private DevicePluginApp() {}

  /** Runs the plugin; returns only for a dry run, help, a stop signal, or an error (the code). */
  public static int run(List<String> args, PrintStream out, PrintStream err, NodeFactory nodes) {
    CommandLine cmd;
    try {
      cmd = CommandLine.parse(args);
    } catch (CommandLine.UsageException e) {
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
    try (NodeAccess node = nodes.open(cmd)) {
      boolean cmdGiven = cmd.configFileGiven();
      if (node.simulated() && !cmdGiven) {
        cmd = withExampleConfig(cmd);
      }
      if (cmd.dryRun()) {
        PoolPlanner planner =
            new ConfigPoolPlanner(
                cmd.configFile().toString(), prefix, node.discovery(), node.defaultRouteLinks());
        InfoProviders providers =
            new InfoProviders(new DeviceNodes(new SysfsRoot(node.sys(), node.dev())));
        PoolPlanner.Plan plan = planner.plan(Reconciler.readConfig(cmd.configFile()));
        List<LinkEvent> links = node.links().map(m -> m.snapshot()).orElse(List.of());
        String configName =
            node.simulated() && !cmdGiven
                ? "built-in example for the simulated node (" + EXAMPLE_CONFIG + ")"
                : cmd.configFile().toString();
        out.println(DryRun.render(node.label(), configName, plan, providers, links));
        return 0;
      }
      return serve(cmd, prefix, node);
    } catch (PlanException e) {
      err.println("sriov-device-plugin: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("sriov-device-plugin: " + e);
      return 1;
    }
  }

  /** The simulated node without --config-file: the bundled example, copied to a temp file. */
  private static CommandLine withExampleConfig(CommandLine cmd) throws IOException {
    Path file = Files.createTempFile("sriov-dp-simulated-config-", ".json");
    file.toFile().deleteOnExit();
    try (InputStream in = DevicePluginApp.class.getResourceAsStream(EXAMPLE_CONFIG)) {
      if (in == null) {
        throw new IOException(EXAMPLE_CONFIG + " missing from the jar");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return new CommandLine(
        file,
        true,
        cmd.resourcePrefix(),
        cmd.useCdi(),
        cmd.logLevel(),
        cmd.sysfsRoot(),
        cmd.kubeletDir(),
        cmd.cdiDir(),
        cmd.deviceInfoDir(),
        cmd.dryRun(),
        cmd.simulatedNode(),
        cmd.help());
  }

  private static int serve(CommandLine cmd, ResourcePrefix prefix, NodeAccess node) {
    EmbeddedDevicePlugin plugin =
        EmbeddedDevicePlugin.start(
            new EmbeddedDevicePlugin.Options(
                cmd.configFile(),
                prefix,
                cmd.useCdi(),
                new KubeletPaths(cmd.devicePluginsDir(), cmd.pluginsRegistryDir()),
                cmd.cdiDir(),
                cmd.deviceInfoDir()),
            node,
            new SimpleMeterRegistry());
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable shutdown =
        () -> {
          plugin.close();
          node.close(); // the JVM may halt before run() returns and closes it
          stopped.countDown();
        };
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "sriov-dp-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
