package io.sriov.e2e.guest;

import io.sriov.e2e.guest.cluster.ClusterScenario;
import io.sriov.e2e.guest.deviceplugin.DevicePluginScenario;
import io.sriov.e2e.guest.engine.NodeEngineScenario;
import io.sriov.e2e.guest.netlink.NetlinkScenario;
import io.sriov.e2e.guest.observability.VfTrafficScenario;
import io.sriov.e2e.guest.sysfs.SysfsScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The e2e guest runner: one JVM in the SR-IOV guest runs every guest-side scenario in order and
 * records evidence under {@code <evidence-dir>/<scenario>/}, with {@code result} ("ok" or "failed")
 * and {@code error} (the stack trace) per scenario. It never judges: the host-side *E2E tests do.
 *
 * <pre>
 * java -cp &lt;e2e class path&gt; io.sriov.e2e.guest.GuestMain &lt;evidence-dir&gt; [scenario...]
 * </pre>
 */
public final class GuestMain {

  private GuestMain() {}

  public static void main(String[] args) {
    long uptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();
    if (args.length < 1) {
      System.err.println("usage: GuestMain <evidence-dir> [scenario...]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    List<GuestScenario> all = scenarios(uptimeAtMain);
    Set<String> wanted = new LinkedHashSet<>(List.of(args).subList(1, args.length));
    List<String> known = all.stream().map(GuestScenario::name).toList();
    if (!known.containsAll(wanted)) {
      System.err.println("unknown scenario in " + wanted + "; known: " + known);
      System.exit(2);
    }
    List<String> ran = new ArrayList<>();
    for (GuestScenario scenario : all) {
      if (!wanted.isEmpty() && !wanted.contains(scenario.name())) {
        continue;
      }
      Evidence evidence = new Evidence(root.resolve(scenario.name()));
      long start = System.nanoTime();
      try {
        scenario.run(evidence);
        evidence.value("result", "ok");
      } catch (Exception | AssertionError e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        evidence.value("error", trace.toString());
        evidence.value("result", "failed");
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      evidence.value("elapsed-ms", Long.toString(ms));
      System.out.println("scenario " + scenario.name() + ": " + ms + " ms");
      ran.add(scenario.name());
    }
    new Evidence(root).lines("ran", ran);
  }

  /** The composition root: every scenario, in the order they run. */
  static List<GuestScenario> scenarios(long uptimeAtMain) {
    return List.of(
        new JvmScenario(uptimeAtMain),
        new SysfsScenario(),
        new NetlinkScenario(),
        new DevicePluginScenario(),
        new VfTrafficScenario(),
        new ClusterScenario(),
        new NodeEngineScenario());
  }
}
