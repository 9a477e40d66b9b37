package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.testing.PairedRounds;
import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.TestVm;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CNI fast path on igb VFs (issue 12): one guest boot runs {@code
 * e2e/vm/scenarios/cni-fastpath.sh}: the daemon ({@code bin/sriov-node}, an empty desired state)
 * serving the sriov and bond plugins on its socket, the shim as {@code /opt/cni/bin/sriov} and
 * {@code bond}, the standalone plugins as {@code /opt/cni/bin/<name>-standalone}. Each test judges
 * one step's evidence; the benchmark's figures are printed (measurements: see cni-server's README).
 */
class CniFastpathE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOCKET = "/var/run/sriov-node/cni.sock";
  private static final String FALLBACK =
      "running the standalone plugin /opt/cni/bin/sriov-standalone";
  private static GuestRun run;

  @BeforeAll
  static void boot() throws Exception {
    run =
        TestVm.run(
            TestVm.request("cni-fastpath", List.of("e2e/vm/scenarios/cni-fastpath.sh", "60", "0"))
                .withPfs(2)
                .withTimeout(Duration.ofMinutes(40)));
  }

  private static String v(String relative) {
    return run.text("cni-fastpath/" + relative)
        .orElseThrow(
            () ->
                new AssertionError(
                    "guest recorded no cni-fastpath/" + relative + "\n" + run.diagnostics()));
  }

  private static int rc(String step, String name) {
    return Integer.parseInt(v(step + "/" + name + ".rc"));
  }

  /** The call ran and succeeded through the daemon: exit 0, no fallback note from the shim. */
  private static void byTheDaemon(String step, String name) {
    assertThat(rc(step, name))
        .as(step + "/" + name + ": " + v(step + "/" + name + ".out"))
        .isZero();
    assertThat(v(step + "/" + name + ".err")).as(step + "/" + name).doesNotContain("standalone");
  }

  /** The PF-side config of the step's VF in state {@code when} (before, added, after). */
  private static JsonNode vf(String step, String when) throws Exception {
    int index = Integer.parseInt(v(step + "/" + when + ".vf-index"));
    JsonNode pf = JSON.readTree(v(step + "/" + when + ".pf.json")).get(0);
    for (JsonNode vf : pf.path("vfinfo_list")) {
      if (vf.path("vf").asInt() == index) {
        return vf;
      }
    }
    throw new AssertionError("no VF " + index + " in " + step + "/" + when + ".pf.json");
  }

  private static int vlan(JsonNode vf) {
    return vf.path("vlan_list").path(0).path("vlan").asInt(0);
  }

  /**
   * VF {@code prefix}'s netdev is back in the host under its name, its PF-side config as before.
   */
  private static void restored(String step, String prefix) throws Exception {
    assertThat(v(step + "/" + prefix + "after.host-netdev"))
        .as(step + " " + prefix + "host netdev")
        .isEqualTo(v(step + "/" + prefix + "before.host-netdev"));
    JsonNode before = vf(step, prefix + "before");
    JsonNode after = vf(step, prefix + "after");
    for (String field : List.of("spoofchk", "trust")) {
      assertThat(after.path(field)).as(step + " " + prefix + field).isEqualTo(before.path(field));
    }
    // With no admin MAC set, igb's VF table shows the MAC the VF driver reported, and igbvf reports
    // its own (random) MAC asynchronously: "none set" reads as zero or as the VF's own MAC.
    String unset = "00:00:00:00:00:00";
    if (before.path("address").asText().equals(unset)) {
      assertThat(after.path("address").asText())
          .as(step + " " + prefix + "address (none set before)")
          .isIn(unset, v(step + "/" + prefix + "after.host-mac"));
    } else {
      assertThat(after.path("address"))
          .as(step + " " + prefix + "address")
          .isEqualTo(before.path("address"));
    }
    assertThat(vlan(after)).as(step + " " + prefix + "vlan").isEqualTo(vlan(before));
  }

  private static JsonNode inPod(String relative) throws Exception {
    return JSON.readTree(v(relative)).get(0);
  }

  /** A series' values in the order the scenario wrote them (one per round). */
  private static double[] inOrder(String relative) {
    return v(relative).lines().mapToDouble(Double::parseDouble).toArray();
  }

  private static double[] sorted(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  @Test
  void scriptRanToTheEnd() {
    assertThat(run.exitCode()).as(run.diagnostics()).isZero();
    assertThat(run.path("cni-fastpath/complete")).exists();
  }

  @Test
  void theShimIsStaticAndTheDaemonServesAnEmptyDesiredStateOnARootOnlySocket() {
    assertThat(v("setup/shim-ldd")).contains("not a dynamic executable");
    assertThat(v("setup/daemon-socket-mode")).isEqualTo("600 root");
    assertThat(v("setup/daemon-dir-mode")).isEqualTo("700 root");
    assertThat(v("daemon.err"))
        .contains("sriov-node: no pools in the desired state: the device plugin starts with the")
        .doesNotContain("serving the device plugin");
    assertThat(v("daemon.starts").lines()).as("started, restarted after SIGTERM").hasSize(2);
    System.out.println(
        "daemon exec to its first CNI answer (ms): " + v("daemon.starts").replace('\n', ' '));
  }

  @Test
  void aKernelVfAddCheckDelThroughTheShim() throws Exception {
    String step = "matrix";
    byTheDaemon(step, "kernel-add");
    JsonNode added = vf(step, "kernel.added");
    assertThat(vlan(added)).isEqualTo(100);
    assertThat(added.path("vlan_list").path(0).path("qos").asInt()).isEqualTo(3);
    assertThat(added.path("address").asText()).isEqualTo("02:11:22:33:44:55");
    assertThat(added.path("spoofchk").asBoolean()).isFalse();
    assertThat(added.path("trust").asBoolean()).isTrue();
    assertThat(v(step + "/kernel.added.host-netdev")).isEmpty();
    JsonNode pod = inPod(step + "/kernel.in-pod.json");
    assertThat(pod.path("ifname").asText()).isEqualTo("net1");
    assertThat(pod.path("address").asText()).isEqualTo("02:11:22:33:44:55");
    assertThat(inPod(step + "/kernel.in-pod-addr.json").path("addr_info").toString())
        .contains("10.56.1.");
    assertThat(v(step + "/kernel-add.out")).contains("\"10.56.1.");
    byTheDaemon(step, "kernel-check");
    byTheDaemon(step, "kernel-del");
    restored(step, "kernel.");
    assertThat(v("daemon.err"))
        .contains("CNI call plugin=sriov command=ADD container=pod0 ifname=net1 exit=0")
        .contains("CNI call plugin=sriov command=CHECK container=pod0 ifname=net1 exit=0")
        .contains("CNI call plugin=sriov command=DEL container=pod0 ifname=net1 exit=0");
  }

  @Test
  void aVfioVfAddCheckDelThroughTheShim() throws Exception {
    String step = "matrix";
    assertThat(v("setup/vfio-driver")).isEqualTo("vfio-pci");
    byTheDaemon(step, "vfio-add");
    JsonNode added = vf(step, "vfio.added");
    assertThat(vlan(added)).isEqualTo(200);
    assertThat(added.path("address").asText()).isEqualTo("02:00:00:00:00:33");
    assertThat(added.path("spoofchk").asBoolean()).isFalse();
    byTheDaemon(step, "vfio-check");
    byTheDaemon(step, "vfio-del");
    restored(step, "vfio.");
  }

  @Test
  void anActiveBackupBondOfAVfOfEachPfThroughTheShim() throws Exception {
    String step = "matrix";
    byTheDaemon(step, "bond-sriov-a-add");
    byTheDaemon(step, "bond-sriov-b-add");
    byTheDaemon(step, "bond-add");
    assertThat(v(step + "/bond-add.err")).doesNotContain("bond-standalone");
    assertThat(v(step + "/bond.mode")).isEqualTo("active-backup 1");
    assertThat(v(step + "/bond.slaves").split(" ")).containsExactlyInAnyOrder("net1", "net2");
    byTheDaemon(step, "bond-check");
    byTheDaemon(step, "bond-del");
    assertThat(v(step + "/bond.links-after").split(" ")).doesNotContain("bond0");
    byTheDaemon(step, "bond-sriov-b-del");
    byTheDaemon(step, "bond-sriov-a-del");
    restored(step, "bond-a.");
    restored(step, "bond-b.");
    assertThat(v("daemon.err"))
        .contains("CNI call plugin=bond command=ADD container=pod-bond ifname=bond0 exit=0")
        .contains("CNI call plugin=bond command=DEL container=pod-bond ifname=bond0 exit=0");
  }

  @Test
  void withTheDaemonStoppedTheShimFallsBackAndEachPathsDelUndoesTheOthersAdd() throws Exception {
    String step = "cross";
    byTheDaemon(step, "a-add");
    assertThat(vlan(vf(step, "a.added"))).isEqualTo(101);
    assertThat(rc(step, "daemon-exit")).isZero();
    assertThat(v(step + "/socket-after-stop")).isEqualTo("absent");
    // the daemon stopped: ADD through the shim runs the standalone plugin
    assertThat(rc(step, "c-add")).as(v(step + "/c-add.out")).isZero();
    assertThat(v(step + "/c-add.err"))
        .contains(
            "sriov shim: CNI server unreachable (connect "
                + SOCKET
                + ": No such file or directory); "
                + FALLBACK);
    assertThat(inPod(step + "/c.in-pod.json").path("ifname").asText()).isEqualTo("net1");
    assertThat(vlan(vf(step, "c.added"))).isEqualTo(102);
    assertThat(vf(step, "c.added").path("trust").asBoolean()).isTrue();
    // ADD via the daemon, DEL via the standalone plugin
    assertThat(rc(step, "a-del")).as(v(step + "/a-del.out")).isZero();
    assertThat(v(step + "/a-del.err")).contains(FALLBACK);
    restored(step, "a.");
    // ADD via the standalone plugin, DEL via the restarted daemon
    byTheDaemon(step, "c-del");
    restored(step, "c.");
  }

  @Test
  void aDaemonKilledDuringAnAddLeavesAVfTheNextDelRestores() throws Exception {
    String step = "killed";
    assertThat(v(step + "/ipam-running-when-killed")).isEqualTo("yes");
    assertThat(v(step + "/during.host-netdev")).as("the VF was in the pod when killed").isEmpty();
    assertThat(vlan(vf(step, "during"))).isEqualTo(300);
    assertThat(rc(step, "add")).isEqualTo(1);
    assertThat(v(step + "/add.out"))
        .contains(
            "\"msg\": \"sriov shim: the CNI server at "
                + SOCKET
                + " closed the connection during the call (it may have stopped); the outcome is"
                + " unknown\"");
    assertThat(v(step + "/socket-after-kill")).isEqualTo("stale");
    assertThat(rc(step, "del")).as(v(step + "/del.out")).isZero();
    assertThat(v(step + "/del.err")).contains("Connection refused); " + FALLBACK);
    restored(step, "");
  }

  @Test
  void benchmarkAddDelOfOneVf() {
    int n = Integer.parseInt(v("bench/n"));
    int nStandalone = Integer.parseInt(v("bench/n-standalone"));
    assertThat(n).isGreaterThanOrEqualTo(20);
    for (String kind : List.of("hd", "shim", "sa")) {
      int rounds = kind.equals("sa") ? nStandalone : n;
      for (int i = 0; i < rounds; i++) {
        for (String cmd : List.of("add", "del")) {
          String name = kind + "-" + cmd + "-" + i;
          assertThat(rc("bench", name)).as(name + ": " + v("bench/" + name + ".out")).isZero();
          if (!kind.equals("hd")) {
            assertThat(v("bench/" + name + ".err")).as(name).doesNotContain("unreachable");
          }
        }
      }
    }
    StringBuilder figures =
        new StringBuilder("CNI ADD+DEL of one igb VF in the guest (ms per ADD+DEL round)");
    Map<String, double[]> perRound = new HashMap<>();
    for (String series : List.of("host-device", "shim", "standalone")) {
      if (series.equals("standalone") && nStandalone == 0) {
        continue; // its calls are the fallback's, below
      }
      perRound.put(series, inOrder("bench/" + series + ".ms"));
      double[] ms = sorted(perRound.get(series));
      assertThat(ms).hasSize(series.equals("standalone") ? nStandalone : n);
      figures.append(
          String.format(
              Locale.ROOT,
              "%n  %-12s n=%2d median %8.1f  min %8.1f  max %8.1f",
              series,
              ms.length,
              median(ms),
              ms[0],
              ms[ms.length - 1]));
    }
    // both on one VF, in the same rounds (the order alternating): round i against round i
    PairedRounds paired = PairedRounds.of(perRound.get("shim"), perRound.get("host-device"));
    double hd = median(sorted(perRound.get("host-device")));
    double shim = median(sorted(perRound.get("shim")));
    figures
        .append(
            String.format(
                Locale.ROOT,
                "%n  shim + daemon vs host-device, medians: %.1f vs %.1f ms, %.1f %% %s",
                shim,
                hd,
                Math.abs(100.0 * (shim - hd) / hd),
                shim < hd ? "faster" : "slower"))
        .append("\n  ")
        .append(paired.summary("shim + daemon", "host-device"));
    figures.append("\n  standalone calls through the shim's fallback (ms):");
    for (String call : List.of("cross/c-add", "cross/a-del", "killed/del")) {
      figures.append(' ').append(call).append(' ').append(v(call + ".ms"));
    }
    figures
        .append("\n  load before/after: ")
        .append(v("bench/load-before"))
        .append(" / ")
        .append(v("bench/load-after"));
    System.out.println(figures);
    // after 2N rounds of both plugins the VF is back in the host under the name it had at setup
    assertThat(v("bench/vf3.host-netdev-after")).isEqualTo(v("setup/vf3.netdev"));
  }

  /** Eight calls' [t0, t1] intervals: the latest start is before the earliest end. */
  private static void allInFlightAtOnce(String step, String kind) {
    double latestStart = 0;
    double earliestEnd = Double.MAX_VALUE;
    for (int j = 0; j < 8; j++) {
      latestStart = Math.max(latestStart, Double.parseDouble(v(step + "/" + kind + j + ".t0")));
      earliestEnd = Math.min(earliestEnd, Double.parseDouble(v(step + "/" + kind + j + ".t1")));
    }
    assertThat(latestStart).as(step + ": the 8 calls overlap").isLessThan(earliestEnd);
  }

  private static void eightAddsAndDels(String step) throws Exception {
    for (int j = 0; j < 8; j++) {
      byTheDaemon(step, "add-" + j);
      assertThat(inPod(step + "/in-pod-" + j + ".json").path("ifname").asText()).isEqualTo("net1");
      byTheDaemon(step, "del-" + j);
      assertThat(v(step + "/vf" + j + ".host-netdev"))
          .isEqualTo(v(step + "/vf" + j + ".setup-netdev"))
          .isNotEmpty();
    }
    allInFlightAtOnce(step, "add-");
  }

  @Test
  void eightConcurrentAddsThroughTheShimOnEightVfsOfTwoPfs() throws Exception {
    eightAddsAndDels("concurrent");
    System.out.printf(
        "8 concurrent ADDs through the shim: %s ms wall; 8 DELs: %s ms%n",
        v("concurrent/adds.wall.ms"), v("concurrent/dels.wall.ms"));
  }

  @Test
  void eightAddsHeldInIpamRunInParallelNotOneAfterAnother() throws Exception {
    String step = "concurrent-held";
    eightAddsAndDels(step);
    double holdMs = Double.parseDouble(v(step + "/hold-s")) * 1000;
    for (int j = 0; j < 8; j++) {
      assertThat(Double.parseDouble(v(step + "/add-" + j + ".ms"))).isGreaterThan(holdMs);
    }
    double wall = Double.parseDouble(v(step + "/adds.wall.ms"));
    assertThat(wall).as("serialized they would take 8 x the hold").isLessThan(4 * holdMs);
    System.out.printf(
        "8 concurrent ADDs each held %.0f ms in IPAM: %.0f ms wall (serialized: >= %.0f ms)%n",
        holdMs, wall, 8 * holdMs);
  }
}
