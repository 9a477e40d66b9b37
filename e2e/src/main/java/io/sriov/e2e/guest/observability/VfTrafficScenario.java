package io.sriov.e2e.guest.observability;

import io.sriov.cni.sriov.StateDir;
import io.sriov.core.value.PciAddress;
import io.sriov.e2e.guest.Evidence;
import io.sriov.e2e.guest.GuestScenario;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.observability.NodeCollector;
import io.sriov.observability.Observability;
import io.sriov.observability.http.MetricsServer;
import io.sriov.observability.vf.VfTraffic;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-VF traffic on igb, scraped from the metrics endpoint: igb has no per-VF statistics in the
 * PF's IFLA_VF_STATS (all zero), so the collector reads each VF netdev's own counters, in the host
 * namespace and in the pod namespace the sriov CNI's allocation record names. Two VFs of PF 0: VF 0
 * moved into namespace {@code obs-a} (a pod, recorded as the CNI records it), VF 1 left in the
 * host; {@code busybox ping} from the pod to the host VF through PF 0's own switch. Records the
 * scraped {@code sriov_vf_*} lines before and after, {@code ip -s} of both VF netdevs and of the PF
 * (its per-VF statistics) around them.
 */
public final class VfTrafficScenario implements GuestScenario {

  private static final Path PF0 = Path.of("/sys/bus/pci/devices/0000:00:02.0");
  private static final int PINGS = 20;
  private static final int PING_SIZE = 1000;

  @Override
  public String name() {
    return "vf-traffic";
  }

  @Override
  public void run(Evidence ev) throws Exception {
    ev.command("create-vfs", List.of("sh", "-c", "echo 2 > " + PF0 + "/sriov_numvfs"));
    Path cniState = Files.createTempDirectory("cni-sriov");
    try {
      String pf = netdev(PF0, Duration.ofSeconds(5));
      PciAddress a = vf(0);
      PciAddress b = vf(1);
      String devA = netdev(PF0.resolve("virtfn0"), Duration.ofSeconds(30));
      String devB = netdev(PF0.resolve("virtfn1"), Duration.ofSeconds(30));
      ev.value("pf", pf);
      ev.value("pf.numa_node", Files.readString(PF0.resolve("numa_node")).strip());
      ev.value("a.pci", a.toString());
      ev.value("b.pci", b.toString());
      ev.value("a.netdev", devA);
      ev.value("b.netdev", devB);
      sh(ev, "pf-up", "ip link set " + pf + " up");
      sh(ev, "ns-a", "ip netns add obs-a");
      sh(ev, "move-a", "ip link set " + devA + " netns obs-a");
      sh(
          ev,
          "setup-a",
          String.join(
              " && ",
              "ip -n obs-a link set " + devA + " address 02:57:00:00:00:0a",
              "ip -n obs-a addr add 10.57.0.1/24 dev " + devA,
              "ip -n obs-a link set lo up",
              "ip -n obs-a link set " + devA + " up"));
      sh(
          ev,
          "setup-b",
          String.join(
              " && ",
              "ip link set " + devB + " address 02:57:00:00:00:0b",
              "ip addr add 10.57.0.2/24 dev " + devB,
              "ip link set " + devB + " up"));
      // what the sriov CNI's ADD records: the pod's namespace file per VF
      StateDir cni = new StateDir(cniState);
      cni.allocate(a, Path.of("/run/netns/obs-a"));
      waitCarrier(ev, "carrier-a", "ip netns exec obs-a cat /sys/class/net/" + devA + "/carrier");
      waitCarrier(ev, "carrier-b", "cat /sys/class/net/" + devB + "/carrier");

      try (RtnlClient rtnl = RtnlClient.open();
          Observability obs = new Observability()) {
        NodeCollector collector =
            new NodeCollector(
                new SysfsDeviceDiscovery(SysfsRoot.system()),
                new VfTraffic(
                    rtnl, KernelRtnlNamespaces.system(), cni::allocatedNetns, obs.registry()),
                List::of,
                List::of,
                obs.registry());
        obs.collect(collector, Duration.ofMinutes(10));
        InetSocketAddress at =
            obs.serve(new InetSocketAddress("127.0.0.1", 0), MetricsServer.Limits.DEFAULT);
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + at.getPort() + "/metrics");

        counters(ev, "before", pf, devA, devB);
        ev.lines("scrape.before", vfLines(scrape(http, metrics)));
        sh(
            ev,
            "ping-a-b",
            "ip netns exec obs-a busybox ping -c "
                + PINGS
                + " -i 0.2 -s "
                + PING_SIZE
                + " -W 2 10.57.0.2");
        ev.lines("scrape.after", vfLines(scrape(http, metrics)));
        counters(ev, "after", pf, devA, devB);
        ev.value(
            "errors",
            obs.scrape()
                .lines()
                .filter(l -> l.startsWith("sriov_vf_stats_errors_total"))
                .reduce("", (x, y) -> x + y + "\n"));
      }
    } finally {
      ev.command("ns-del", List.of("ip", "netns", "del", "obs-a"));
      ev.command("remove-vfs", List.of("sh", "-c", "echo 0 > " + PF0 + "/sriov_numvfs"));
    }
  }

  private static void counters(Evidence ev, String when, String pf, String devA, String devB) {
    ev.command("a.link." + when, List.of("ip", "-n", "obs-a", "-j", "-s", "link", "show", devA));
    ev.command("b.link." + when, List.of("ip", "-j", "-s", "link", "show", devB));
    ev.command("pf.link." + when, List.of("ip", "-j", "-s", "link", "show", pf));
  }

  private static String scrape(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + uri + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private static List<String> vfLines(String exposition) {
    return exposition.lines().filter(l -> l.startsWith("sriov_vf_")).toList();
  }

  private static void sh(Evidence ev, String name, String script) {
    Evidence.CommandResult r = ev.command(name, List.of("sh", "-c", script));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(name + ": exit " + r.exitCode() + ": " + r.stderr());
    }
  }

  private static void waitCarrier(Evidence ev, String name, String read) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Evidence.CommandResult r;
    do {
      r = ev.command(name, List.of("sh", "-c", read));
      if (r.stdout().strip().equals("1")) {
        return;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException(name + ": no carrier after 30 s: " + r.stdout() + r.stderr());
  }

  private static PciAddress vf(int index) throws Exception {
    return PciAddress.parse(
        Files.readSymbolicLink(PF0.resolve("virtfn" + index)).getFileName().toString());
  }

  /** The netdev under a PCI device's {@code net/}, waiting for the driver's probe. */
  private static String netdev(Path pciDevice, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Path net = pciDevice.resolve("net");
      if (Files.isDirectory(net)) {
        try (var s = Files.list(net)) {
          var first = s.findFirst();
          if (first.isPresent()) {
            return first.get().getFileName().toString();
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no netdev under " + net + " after " + wait);
      }
      Thread.sleep(100);
    }
  }
}
