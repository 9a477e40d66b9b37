package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.TestVm;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CNI fast path on igb VFs (issue 12): one guest boot runs {@code
 * e2e/vm/scenarios/cni-fastpath.sh}: the daemon ({@code bin/sriov-node}) serving the sriov plugin
 * on its socket, the shim as {@code /opt/cni/bin/sriov}, sriov-cni's jar as {@code
 * /opt/cni/bin/sriov-standalone}. Each test judges one step's evidence; the benchmark's figures are
 * printed (they are measurements, not assertions: see cni-server's README).
 */
class CniFastpathE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOCKET = "/var/run/sriov-node/cni.sock";
  private static GuestRun run;

  @BeforeAll
  static void boot() throws Exception {
    run =
        TestVm.run(
            TestVm.request("cni-fastpath", List.of("e2e/vm/scenarios/cni-fastpath.sh", "20"))
                .withPfs(2)
                .withTimeout(Duration.ofMinutes(30)));
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

  /** The VF's netdev is back in the host under its name, its PF-side config as before ADD. */
  private static void restored(String step) throws Exception {
    assertThat(v(step + "/after.host-netdev")).isEqualTo(v(step + "/before.host-netdev"));
    JsonNode before = vf(step, "before");
    JsonNode after = vf(step, "after");
    assertThat(vlan(after)).as(step + " vlan").isEqualTo(vlan(before));
    assertThat(after.path("spoofchk")).as(step + " spoofchk").isEqualTo(before.path("spoofchk"));
    assertThat(after.path("trust")).as(step + " trust").isEqualTo(before.path("trust"));
  }

  private static String inPod(String relative) throws Exception {
    return JSON.readTree(v(relative)).get(0).path("ifname").asText();
  }

  @Test
  void scriptRanToTheEnd() {
    assertThat(run.exitCode()).as(run.diagnostics()).isZero();
    assertThat(run.path("cni-fastpath/complete")).exists();
  }

  @Test
  void theDaemonsSocketIsRootOnly() {
    assertThat(v("setup/daemon-socket-mode")).isEqualTo("600 root");
    assertThat(v("setup/daemon-dir-mode")).isEqualTo("700 root");
  }

  @Test
  void aDelThroughTheStandalonePluginUndoesAnAddThroughTheDaemon() throws Exception {
    String step = "daemon-add-standalone-del";
    assertThat(rc(step, "add")).as(v(step + "/add.out")).isZero();
    assertThat(v(step + "/add.err")).doesNotContain("running the standalone plugin");
    assertThat(inPod(step + "/in-pod.json")).isEqualTo("net1");
    assertThat(v(step + "/added.host-netdev")).isEmpty();
    assertThat(vlan(vf(step, "added"))).isEqualTo(100);
    assertThat(rc(step, "del")).as(v(step + "/del.out")).isZero();
    restored(step);
  }

  @Test
  void aDelThroughTheDaemonUndoesAnAddThroughTheStandalonePlugin() throws Exception {
    String step = "standalone-add-daemon-del";
    assertThat(rc(step, "add")).as(v(step + "/add.out")).isZero();
    assertThat(inPod(step + "/in-pod.json")).isEqualTo("net1");
    assertThat(vlan(vf(step, "added"))).isEqualTo(200);
    assertThat(rc(step, "del")).as(v(step + "/del.out")).isZero();
    assertThat(v(step + "/del.err")).doesNotContain("running the standalone plugin");
    restored(step);
  }

  @Test
  void withTheDaemonStoppedTheShimRunsTheStandalonePlugin() throws Exception {
    String step = "daemon-stopped";
    assertThat(rc(step, "daemon-exit")).isZero();
    assertThat(v(step + "/socket-after-stop")).isEqualTo("absent");
    assertThat(rc(step, "add")).as(v(step + "/add.out")).isZero();
    assertThat(v(step + "/add.err"))
        .contains(
            "sriov shim: CNI server unreachable (connect "
                + SOCKET
                + ": No such file or directory); running the standalone plugin"
                + " /opt/cni/bin/sriov-standalone");
    assertThat(inPod(step + "/in-pod.json")).isEqualTo("net1");
    assertThat(rc(step, "del")).as(v(step + "/del.out")).isZero();
    restored(step);
  }

  @Test
  void aDaemonKilledDuringAnAddLeavesAVfTheNextDelRestores() throws Exception {
    String step = "daemon-killed";
    assertThat(v(step + "/ipam-running-when-killed")).isEqualTo("yes");
    assertThat(v(step + "/during.host-netdev")).as("the VF was in the pod when killed").isEmpty();
    assertThat(rc(step, "add")).isEqualTo(1);
    assertThat(v(step + "/add.out"))
        .contains(
            "\"msg\": \"sriov shim: the CNI server at "
                + SOCKET
                + " closed the connection during the call (it may have stopped); the outcome is"
                + " unknown\"");
    assertThat(v(step + "/socket-after-kill")).isEqualTo("stale");
    assertThat(rc(step, "del")).as(v(step + "/del.out")).isZero();
    assertThat(v(step + "/del.err"))
        .contains(
            "Connection refused); running the standalone plugin /opt/cni/bin/sriov-standalone");
    restored(step);
    assertThat(rc(step, "del-again")).as("the restarted daemon: DEL again").isZero();
  }

  @Test
  void benchmarkAddDelOfOneVf() {
    int n = Integer.parseInt(v("bench/n"));
    for (String kind : List.of("hd", "shim", "sa")) {
      for (int i = 0; i < n; i++) {
        assertThat(rc("bench", kind + "-add-" + i))
            .as(v("bench/" + kind + "-add-" + i + ".out"))
            .isZero();
        assertThat(rc("bench", kind + "-del-" + i))
            .as(v("bench/" + kind + "-del-" + i + ".out"))
            .isZero();
      }
    }
    StringBuilder figures = new StringBuilder("CNI ADD+DEL of one igb VF in the guest, n=" + n);
    for (String series : List.of("host-device", "standalone", "shim")) {
      double[] ms =
          v("bench/" + series + ".ms").lines().mapToDouble(Double::parseDouble).sorted().toArray();
      assertThat(ms).hasSize(n);
      figures.append(
          String.format(
              Locale.ROOT,
              "%n  %-12s median %8.1f ms  min %8.1f  max %8.1f",
              series,
              ms[(ms.length - 1) / 2],
              ms[0],
              ms[ms.length - 1]));
    }
    figures
        .append("\n  load before/after: ")
        .append(v("bench/load-before"))
        .append(" / ")
        .append(v("bench/load-after"));
    System.out.println(figures);
    assertThat(v("bench/host-netdev-after")).isNotEmpty();
  }

  @Test
  void eightConcurrentAddsThroughTheShimOnEightVfs() throws Exception {
    for (int k = 0; k < 8; k++) {
      assertThat(rc("concurrent", "add-" + k)).as(v("concurrent/add-" + k + ".out")).isZero();
      assertThat(inPod("concurrent/in-pod-" + k + ".json")).isEqualTo("net1");
      assertThat(rc("concurrent", "del-" + k)).as(v("concurrent/del-" + k + ".out")).isZero();
      assertThat(v("concurrent/vf" + k + ".host-netdev")).isEqualTo(v("setup/vf" + k + ".netdev"));
    }
    System.out.printf(
        "8 concurrent ADDs through the shim: %s ms wall; 8 DELs: %s ms%n",
        v("concurrent/adds.wall.ms"), v("concurrent/dels.wall.ms"));
  }
}
