package io.sriov.e2e.guest.engine;

import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.api.v1beta1.Device;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.e2e.guest.Evidence;
import io.sriov.e2e.guest.GuestScenario;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Listing;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Plugin;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Registration;
import io.sriov.sysfs.KernelSysfsWriter;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The node engine as shipped: the real executable {@code bin/sriov-node} (file mode, {@code
 * --node-state FILE}) on the guest's two igb PFs, with kubelet played by {@link KubeletStandIn}
 * (legacy registration: the kubelet dir has no {@code plugins_registry}). Both PFs start
 * administratively down with no VFs, so the daemon brings them up itself.
 *
 * <ol>
 *   <li>{@code v1}: PF 0 4 VFs, netdevice group {@code igb_net} 0-1 and vfio-pci group {@code
 *       igb_vfio} 2-3; PF 1 2 VFs at MTU 2000, netdevice group {@code igb_jumbo} 0-1 at MTU 2000.
 *       The serving daemon prints the first pass's object ({@code --output json}); the node ({@code
 *       lspci}, {@code ip -j -d link}, sysfs) and the pools ListAndWatch delivers are recorded.
 *   <li>{@code v2}, the file replaced live: PF 0 3 VFs ({@code igb_vfio} 2-2); the lists following.
 *   <li>{@code v3}, live: PF 1 declared {@code externallyManaged} with numVfs 4 (it has 2) and PF 0
 *       at MTU 1800: PF 1 refused with its reason in the log, PF 0 applied.
 *   <li>SIGTERM; {@code v4}: PF 0 6 VFs ({@code igb_net} 0-2, {@code igb_vfio} 3-5), PF 1 as in v1.
 *       {@code --once} is killed with SIGKILL as soon as PF 0's first new VF appears (after its VFs
 *       went to 0), i.e. during VF creation; then {@code --once --output json} again: the object
 *       and the node recorded (converged).
 * </ol>
 *
 * Leaves both PFs with no VFs at MTU 1500 and up (as the scenarios before it leave them).
 */
public final class NodeEngineScenario implements GuestScenario {

  static final PciAddress PF0 = PciAddress.parse("0000:00:02.0");
  static final PciAddress PF1 = PciAddress.parse("0000:00:04.0");
  private static final Duration FIRST_REGISTRATION = Duration.ofSeconds(300);
  private static final Duration CHANGE = Duration.ofSeconds(120);

  @Override
  public String name() {
    return "node-engine";
  }

  @Override
  public void run(Evidence ev) throws Exception {
    Path bin = sriovNode();
    String pf0 = netdev(PF0);
    String pf1 = netdev(PF1);
    ev.value("pf0", pf0);
    ev.value("pf1", pf1);
    Path dir = Files.createTempDirectory("sriov-e2e-engine-");
    Path file = dir.resolve("node-state.yaml");
    try {
      for (String pf : List.of(pf0, pf1)) {
        ev.command("down." + pf, List.of("ip", "link", "set", "dev", pf, "down"));
      }
      ev.value("v1", write(dir, file, v1(pf0, pf1)));
      serving(ev, bin, dir, file, pf0, pf1);
      killDuringVfCreation(ev, bin, dir, file, pf0, pf1);
    } finally {
      reset(ev, pf0, pf1);
    }
  }

  /** Steps 1-3: one serving daemon, the file changed twice under it. */
  private static void serving(Evidence ev, Path bin, Path dir, Path file, String pf0, String pf1)
      throws Exception {
    Path kubelet = dir.resolve("kubelet");
    Path devicePlugins = Files.createDirectories(kubelet.resolve("device-plugins"));
    List<String> command = daemon(bin, dir, file, "--output", "json", "--metrics-port", "0");
    ev.lines("serve.command", command);
    try (KubeletStandIn kubeletStandIn = new KubeletStandIn(devicePlugins).start()) {
      long started = System.nanoTime();
      Process daemon = start(ev, command, "serve");
      try {
        Map<String, Registration> regs = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
          Registration r =
              kubeletStandIn.nextRegistration(i == 0 ? (int) FIRST_REGISTRATION.toSeconds() : 60);
          if (r == null) {
            throw new IllegalStateException(
                "no registration within the timeout; daemon alive=" + daemon.isAlive());
          }
          regs.put(r.request().getResourceName(), r);
        }
        ev.value(
            "registered-ms",
            Long.toString(
                TimeUnit.NANOSECONDS.toMillis(
                    regs.values().stream().mapToLong(Registration::atNanos).max().orElseThrow()
                        - started)));
        ev.lines("registrations", regs.keySet());
        Map<String, Plugin> plugins = new TreeMap<>();
        try {
          for (var e : regs.entrySet()) {
            Plugin p = kubeletStandIn.plugin(e.getValue().request().getEndpoint());
            plugins.put(e.getKey(), p);
            p.watch();
          }
          Map<String, List<String>> current = new TreeMap<>();
          for (var e : plugins.entrySet()) {
            Listing l = e.getValue().next(60);
            current.put(e.getKey(), l == null ? List.of("no list") : describe(l.response()));
          }
          record(ev, "v1", current);
          snapshot(ev, "v1");

          // 2: fewer VFs on PF 0, the file replaced (atomic rename) while serving
          ev.value("v2", write(dir, file, v2(pf0, pf1)));
          long t2 = System.nanoTime();
          String vfio = "openshift.io/igb_vfio";
          List<String> seen = new ArrayList<>();
          // the pool's one device is VF 2, Healthy: the daemon tells the device plugin it removed
          // VF 3, which leaves the pool at once (no gone retention for a VF removed on purpose)
          Listing l2 =
              await(
                  plugins.get(vfio),
                  seen,
                  r ->
                      r.getDevicesCount() == 1
                          && r.getDevicesList().get(0).getHealth().equals("Healthy"));
          ev.lines("v2.igb_vfio.lists", seen);
          ev.value("v2.pool-ms", l2 == null ? "no list" : Long.toString(ms(t2, l2.atNanos())));
          current.put(vfio, l2 == null ? List.of("no list") : describe(l2.response()));
          // the other pools' streams: whatever they sent meanwhile (nothing, or the same list)
          for (var e : plugins.entrySet()) {
            for (Listing l; (l = e.getValue().lists.poll()) != null; ) {
              current.put(e.getKey(), describe(l.response()));
            }
          }
          record(ev, "v2", current);
          // the first pass is not the loop's: its first "desired state applied" is v2's
          awaitLog(ev, "serve", "desired state applied", 1);
          snapshot(ev, "v2");

          // 3: PF 1 externallyManaged with too few VFs, PF 0's MTU raised in the same file
          ev.value("v3", write(dir, file, v3(pf0, pf1)));
          awaitLog(ev, "serve", "desired state applied", 2);
          snapshot(ev, "v3");
          for (var e : plugins.entrySet()) {
            for (Listing l; (l = e.getValue().lists.poll()) != null; ) {
              current.put(e.getKey(), describe(l.response()));
            }
          }
          record(ev, "v3", current);
        } finally {
          for (Plugin p : plugins.values()) {
            p.close();
          }
        }
      } finally {
        stop(ev, daemon, "serve");
      }
    }
  }

  /** Step 4: SIGKILL while PF 0's VFs are being created, then a restart that converges. */
  private static void killDuringVfCreation(
      Evidence ev, Path bin, Path dir, Path file, String pf0, String pf1) throws Exception {
    ev.value("v4", write(dir, file, v4(pf0, pf1)));
    List<String> once = daemon(bin, dir, file, "--once");
    Process killed = start(ev, once, "killed");
    Path virtfns = Path.of("/sys/bus/pci/devices", PF0.toString());
    // PF 0 has 3 VFs: the daemon takes them to 0, then creates 6, one virtfn link per VF as its
    // probe returns; the first link after the lowest count seen is VF creation under way
    int initial = virtfnCount(virtfns);
    int lowest = initial;
    int atKill = -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (killed.isAlive() && System.nanoTime() < deadline) {
      int n = virtfnCount(virtfns);
      if (n < lowest) {
        lowest = n;
      } else if (n > lowest && lowest < initial) {
        atKill = n;
        break;
      }
      Thread.sleep(20);
    }
    boolean aliveAtKill = killed.isAlive();
    killed.destroyForcibly();
    killed.waitFor(30, TimeUnit.SECONDS);
    ev.value("killed.alive-at-kill", Boolean.toString(aliveAtKill));
    ev.value("killed.virtfns-before", Integer.toString(initial));
    ev.value("killed.virtfns-lowest", Integer.toString(lowest));
    ev.value("killed.virtfns-at-kill", Integer.toString(atKill));
    ev.value("killed.exit", Integer.toString(killed.exitValue()));
    // what the kernel finished after the kill (the sriov_numvfs write it was in completes): wait
    // until sriov_numvfs and the virtfn links agree and hold still, bounded
    ev.value("killed.settled-ms", settle(virtfns, Duration.ofSeconds(30)));
    ev.command("killed.numvfs", List.of("cat", virtfns.resolve("sriov_numvfs").toString()));
    ev.command("killed.drivers", Evidence.DRIVER_LINKS);

    List<String> again = daemon(bin, dir, file, "--once", "--output", "json");
    Process restart = start(ev, again, "restart");
    boolean ended = restart.waitFor(600, TimeUnit.SECONDS);
    ev.value("restart.exit", ended ? Integer.toString(restart.exitValue()) : "still running");
    if (!ended) {
      restart.destroyForcibly().waitFor();
    }
    snapshot(ev, "v4");
  }

  /** Back to no VFs on either PF (vfio-pci VFs to their driver first), MTU 1500, up. */
  private static void reset(Evidence ev, String pf0, String pf1) throws Exception {
    SysfsRoot root = SysfsRoot.system();
    try (KernelSysfsWriter writer = new KernelSysfsWriter()) {
      SriovProvisioner provisioner =
          new SriovProvisioner(root, writer, ProvisionTimeouts.defaults());
      for (PciAddress pf : List.of(PF0, PF1)) {
        Path dev = Path.of("/sys/bus/pci/devices", pf.toString());
        try (Stream<Path> s = Files.list(dev)) {
          for (Path v : s.filter(p -> p.getFileName().toString().startsWith("virtfn")).toList()) {
            PciAddress vf = PciAddress.parse(Files.readSymbolicLink(v).getFileName().toString());
            if (provisioner
                .currentDriver(vf)
                .map(d -> d.value().equals("vfio-pci"))
                .orElse(false)) {
              provisioner.bindDefaultDriver(vf);
            }
          }
        }
        provisioner.setNumVfs(pf, 0);
      }
    }
    for (String pf : List.of(pf0, pf1)) {
      ev.command("reset.mtu." + pf, List.of("ip", "link", "set", "dev", pf, "mtu", "1500", "up"));
    }
  }

  private static List<String> daemon(Path bin, Path dir, Path file, String... extra) {
    List<String> cmd = new ArrayList<>();
    cmd.add(bin.toString());
    cmd.add("--node-state");
    cmd.add(file.toString());
    cmd.add("--state-dir");
    cmd.add(dir.resolve("state").toString());
    cmd.add("--kubelet-dir");
    cmd.add(dir.resolve("kubelet").toString());
    cmd.add("--device-info-dir");
    cmd.add(dir.resolve("devinfo").toString());
    cmd.add("--cdi-dir");
    cmd.add(dir.resolve("cdi").toString());
    cmd.add("--cni-socket");
    cmd.add("");
    cmd.addAll(List.of(extra));
    return cmd;
  }

  private static Process start(Evidence ev, List<String> command, String name) throws IOException {
    return new ProcessBuilder(command)
        .redirectOutput(ev.dir().resolve(name + ".out").toFile())
        .redirectError(ev.dir().resolve(name + ".err").toFile())
        .start();
  }

  private static void stop(Evidence ev, Process daemon, String name) throws Exception {
    daemon.destroy();
    boolean ended = daemon.waitFor(60, TimeUnit.SECONDS);
    ev.value(name + ".exit", ended ? Integer.toString(daemon.exitValue()) : "still running");
    if (!ended) {
      daemon.destroyForcibly().waitFor();
    }
  }

  /** Waits until the daemon's log has {@code count} lines containing {@code text}. */
  private static void awaitLog(Evidence ev, String name, String text, int count) throws Exception {
    Path log = ev.dir().resolve(name + ".err");
    long deadline = System.nanoTime() + CHANGE.toNanos();
    while (System.nanoTime() < deadline) {
      long n =
          Files.readString(log, StandardCharsets.UTF_8)
              .lines()
              .filter(l -> l.contains(text))
              .count();
      if (n >= count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the daemon's log has fewer than "
            + count
            + " lines with \""
            + text
            + "\" after "
            + CHANGE);
  }

  /** The node as its own tools see it, under {@code <prefix>.*}. */
  private static void snapshot(Evidence ev, String prefix) throws Exception {
    ev.command(prefix + ".lspci", List.of("lspci", "-D", "-n"));
    ev.command(prefix + ".ip", List.of("ip", "-j", "-d", "link", "show"));
    ev.command(prefix + ".drivers", Evidence.DRIVER_LINKS);
    ev.command(
        prefix + ".sysfs",
        List.of(
            "sh",
            "-c",
            "for p in "
                + PF0
                + " "
                + PF1
                + "; do d=/sys/bus/pci/devices/$p;"
                + " echo \"$p numvfs $(cat $d/sriov_numvfs) totalvfs $(cat $d/sriov_totalvfs)\";"
                + " for v in $d/virtfn*; do [ -e $v ] &&"
                + " echo \"$p $(basename $v) $(basename $(readlink $v))\"; done; done"));
  }

  private static void record(Evidence ev, String prefix, Map<String, List<String>> pools) {
    List<String> out = new ArrayList<>();
    pools.forEach((pool, devices) -> devices.forEach(d -> out.add(pool + " " + d)));
    ev.lines(prefix + ".pools", out);
  }

  /** The first list {@code wanted} accepts; every list seen, one line each, in {@code seen}. */
  private static Listing await(
      Plugin plugin, List<String> seen, Predicate<ListAndWatchResponse> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + CHANGE.toNanos();
    while (System.nanoTime() < deadline) {
      Listing l = plugin.lists.poll(200, TimeUnit.MILLISECONDS);
      if (l != null) {
        seen.add(String.join(",", describe(l.response())));
      }
      if (l != null && wanted.test(l.response())) {
        return l;
      }
    }
    return null;
  }

  /** {@code id health}, sorted. */
  private static List<String> describe(ListAndWatchResponse r) {
    List<String> out = new ArrayList<>();
    for (Device d : r.getDevicesList()) {
      out.add(d.getID() + " " + d.getHealth());
    }
    out.sort(null);
    return out;
  }

  /**
   * Polls {@code pf}'s {@code sriov_numvfs} and virtfn links every 100 ms until both agree and read
   * the same twice in a row; returns how long that took in ms, or {@code "not settled after N ms:
   * ..."} at the bound.
   */
  private static String settle(Path pf, Duration bound) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String last = "";
    while (true) {
      String numvfs = Files.readString(pf.resolve("sriov_numvfs")).strip();
      String now = numvfs + "/" + virtfnCount(pf);
      if (now.equals(last) && now.equals(numvfs + "/" + numvfs)) {
        return Long.toString(ms(start, System.nanoTime()));
      }
      if (System.nanoTime() - start > bound.toNanos()) {
        return "not settled after " + bound.toMillis() + " ms: sriov_numvfs/virtfns " + now;
      }
      last = now;
      Thread.sleep(100);
    }
  }

  private static int virtfnCount(Path pf) throws IOException {
    try (Stream<Path> s = Files.list(pf)) {
      return (int) s.filter(p -> p.getFileName().toString().startsWith("virtfn")).count();
    }
  }

  /** Writes the file as an editor or a config manager would: a temp file renamed over it. */
  private static String write(Path dir, Path file, String text) throws IOException {
    Path tmp = Files.writeString(dir.resolve(".node-state.tmp"), text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return text;
  }

  static String v1(String pf0, String pf1) {
    return state(pf0(pf0, 4, 0, "0-1", "2-3") + pf1(pf1, false));
  }

  static String v2(String pf0, String pf1) {
    return state(pf0(pf0, 3, 0, "0-1", "2-2") + pf1(pf1, false));
  }

  static String v3(String pf0, String pf1) {
    return state(pf0(pf0, 3, 1800, "0-1", "2-2") + pf1(pf1, true));
  }

  static String v4(String pf0, String pf1) {
    return state(pf0(pf0, 6, 1800, "0-2", "3-5") + pf1(pf1, false));
  }

  /** PF 0: a netdevice group {@code igb_net} and a vfio-pci group {@code igb_vfio}. */
  private static String pf0(String name, int numVfs, int mtu, String net, String vfio) {
    return pf(
        PF0,
        name,
        numVfs,
        mtu,
        false,
        group("igb_net", "netdevice", net, 0),
        group("igb_vfio", "vfio-pci", vfio, 0));
  }

  /**
   * PF 1: 2 VFs at MTU 2000 in group {@code igb_jumbo}; or declared externally managed with 4 VFs
   * (it has 2).
   */
  private static String pf1(String name, boolean externallyManaged) {
    return externallyManaged
        ? pf(PF1, name, 4, 0, true, group("igb_jumbo", "netdevice", "0-3", 0))
        : pf(PF1, name, 2, 2000, false, group("igb_jumbo", "netdevice", "0-1", 2000));
  }

  private static String state(String interfaces) {
    return """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetworkNodeState
        metadata:
          name: e2e-guest
          namespace: sriov-network-operator
        spec:
          interfaces:
        """
        + interfaces;
  }

  private static String pf(
      PciAddress pci, String name, int numVfs, int mtu, boolean external, String... groups) {
    StringBuilder s = new StringBuilder();
    s.append("    - pciAddress: \"").append(pci).append("\"\n");
    s.append("      name: ").append(name).append('\n');
    s.append("      numVfs: ").append(numVfs).append('\n');
    if (mtu > 0) {
      s.append("      mtu: ").append(mtu).append('\n');
    }
    if (external) {
      s.append("      externallyManaged: true\n");
    }
    s.append("      vfGroups:\n");
    for (String g : groups) {
      s.append(g);
    }
    return s.toString();
  }

  private static String group(String resource, String type, String range, int mtu) {
    return "        - resourceName: "
        + resource
        + "\n          deviceType: "
        + type
        + "\n          vfRange: \""
        + range
        + "\"\n          policyName: "
        + resource
        + (mtu > 0 ? "\n          mtu: " + mtu : "")
        + "\n";
  }

  /** {@code bin/sriov-node} of the checkout the guest runs in (the host root is shared). */
  private static Path sriovNode() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        d != null;
        d = d.getParent()) {
      Path bin = d.resolve("bin/sriov-node");
      if (Files.isExecutable(bin)) {
        return bin;
      }
    }
    throw new IllegalStateException("no bin/sriov-node above " + System.getProperty("user.dir"));
  }

  private static long ms(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  private static String netdev(PciAddress pci) throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/sys/bus/pci/devices", pci.toString(), "net"))) {
      return s.findFirst().orElseThrow().getFileName().toString();
    }
  }
}
