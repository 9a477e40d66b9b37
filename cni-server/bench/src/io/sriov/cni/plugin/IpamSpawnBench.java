package io.sriov.cni.plugin;

import io.sriov.os.process.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IpamDelegate's two ways to start the IPAM plugin, interleaved in one JVM: a DEL of host-local
 * (nothing allocated: host-local answers at once) through the JDK's ProcessBuilder (jspawnhelper,
 * then the plugin) and through sriov-os's ChildProcess (posix_spawn: the plugin only). Run by
 * spawn-bench.sh with the daemon's JVM flags; prints per-call medians and ranges in ms.
 *
 * <p>Args: ROUNDS [PLUGIN_DIR] (default 40, /usr/lib/cni).
 */
public final class IpamSpawnBench {
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    String dir = args.length > 1 ? args[1] : "/usr/lib/cni";
    byte[] conf =
        ("{\"cniVersion\":\"1.0.0\",\"name\":\"spawn-bench\",\"ipam\":{\"type\":\"host-local\","
                + "\"subnet\":\"10.99.0.0/24\",\"dataDir\":\"/tmp/spawn-bench\"}}")
            .getBytes(StandardCharsets.UTF_8);
    CniRequest req =
        CniRequest.of(
            CniEnvironment.parse(
                Map.of(
                    "CNI_COMMAND", "DEL",
                    "CNI_CONTAINERID", "bench",
                    "CNI_IFNAME", "net1",
                    "CNI_PATH", dir)),
            conf,
            NetConf.parse(conf),
            CniVersions.negotiate(Optional.of("1.0.0")),
            CniLog.toStderr(new ByteArrayOutputStream(), Clock.systemUTC()));
    IpamDelegate builder = new IpamDelegate(Duration.ofSeconds(60), Optional.empty());
    IpamDelegate spawn =
        new IpamDelegate(Duration.ofSeconds(60), Optional.of(ChildProcess.available().orElseThrow()));
    for (int i = 0; i < 5; i++) { // warm-up
      builder.del(req);
      spawn.del(req);
    }
    List<Double> b = new ArrayList<>();
    List<Double> s = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      builder.del(req);
      long t1 = System.nanoTime();
      spawn.del(req);
      long t2 = System.nanoTime();
      b.add((t1 - t0) / 1e6);
      s.add((t2 - t1) / 1e6);
    }
    System.out.println("ProcessBuilder (jspawnhelper + host-local): " + summary(b));
    System.out.println("ChildProcess (posix_spawn, host-local):     " + summary(s));
  }

  private static String summary(List<Double> v) {
    List<Double> x = new ArrayList<>(v);
    Collections.sort(x);
    int n = x.size();
    double med = n % 2 == 1 ? x.get(n / 2) : (x.get(n / 2 - 1) + x.get(n / 2)) / 2;
    return String.format(
        "median %.2f ms (%.2f-%.2f), n=%d", med, x.get(0), x.get(n - 1), n);
  }
}
