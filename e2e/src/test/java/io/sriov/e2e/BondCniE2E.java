package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.TestVm;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bond CNI plugin's executable ({@code bin/cni/bond}) run in the guest as a runtime runs it, on
 * VFs of the two emulated igb PFs: one boot of {@code e2e/vm/scenarios/cni-bond.sh}, whose evidence
 * each test judges. The active-backup and the second 802.3ad bond are the Multus sequence: the
 * sriov plugin ({@code bin/cni/sriov}) ADDs PF 0's VF as net1 and PF 1's as net2, the bond plugin
 * bonds them, and DEL runs in reverse order.
 */
class BondCniE2E {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The administrative MACs the sriov plugin gives the active-backup bond's VFs (trusted). */
  private static final String MAC1 = "02:00:00:00:ab:01";

  private static final String MAC2 = "02:00:00:00:ab:02";
  private static GuestRun run;

  @BeforeAll
  static void boot() throws Exception {
    run = TestVm.run(TestVm.request("bond", List.of("e2e/vm/scenarios/cni-bond.sh")));
  }

  private static String v(String relative) {
    return run.text("bond/" + relative)
        .map(String::strip)
        .orElseThrow(
            () ->
                new AssertionError(
                    "guest recorded no bond/" + relative + "\n" + run.diagnostics()));
  }

  private static JsonNode json(String relative) throws Exception {
    return JSON.readTree(v(relative));
  }

  private static String a() {
    return v("setup/a");
  }

  private static String b() {
    return v("setup/b");
  }

  /** VF 0's entry of a PF's VF table as {@code ip -j -d link show <pf>} printed it. */
  private static JsonNode vf0(String relative) throws Exception {
    JsonNode list = json(relative).get(0).path("vfinfo_list");
    assertThat(list.isArray() && !list.isEmpty()).as(relative + ": no vfinfo_list").isTrue();
    return list.get(0);
  }

  /**
   * A pod's sriov ADDs (net1 on PF 0's VF, net2 on PF 1's), its bond DEL's pod links (the slaves
   * released, still in the pod), then the sriov DELs in reverse order: each VF back in the host
   * under its name with its MAC and MTU, each PF's VF table as before ADD.
   */
  private static void reverseDelRestoredEveryVf(String add, String del) throws Exception {
    exited(del + "/del", 0);
    JsonNode released = json(del + "/links.out");
    assertThat(released.findValuesAsText("ifname")).containsExactlyInAnyOrder("lo", "net1", "net2");
    for (JsonNode l : released) {
      assertThat(l.has("master")).as("released: " + l).isFalse();
    }
    exited(del + "/sriov2-del", 0);
    exited(del + "/sriov1-del", 0);
    assertThat(json(del + "/pod-links.out").findValuesAsText("ifname"))
        .as("both VFs left the pod")
        .containsExactly("lo");
    for (String vf : List.of("a", "b")) {
      JsonNode before = json(add + "/" + vf + ".before.json").get(0);
      JsonNode after = json(del + "/" + vf + ".after.json").get(0);
      for (String f : List.of("ifname", "address", "mtu")) {
        assertThat(after.path(f)).as(vf + " " + f + " in the host netns").isEqualTo(before.path(f));
      }
    }
    for (String pf : List.of("pf0", "pf1")) {
      assertThat(vf0(del + "/" + pf + ".after.json"))
          .as(pf + "'s VF 0 (PF-side config)")
          .isEqualTo(vf0(add + "/" + pf + ".before.json"));
    }
  }

  /** A call's exit status, with its stderr when it is not the expected one. */
  private static void exited(String call, int rc) {
    assertThat(Integer.parseInt(v(call + ".rc")))
        .as(call + " stderr: " + run.text("bond/" + call + ".err").orElse(""))
        .isEqualTo(rc);
  }

  @Test
  void scriptRanToTheEnd() {
    assertThat(run.exitCode()).as(run.diagnostics()).isZero();
    assertThat(run.path("bond/complete")).exists();
    assertThat(v("setup/a.carrier")).isEqualTo("1");
    assertThat(v("setup/b.carrier")).isEqualTo("1");
  }

  @Test
  void versionListsTheSupportedVersions() {
    exited("setup/version", 0);
    assertThat(v("setup/version.out"))
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
                + "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
  }

  @Test
  void statusSucceedsWithTheDriverLoadedAndWhenItCanBeLoaded() {
    exited("setup/status", 0);
    assertThat(v("setup/status.out")).as("STATUS prints nothing on success").isEmpty();
    exited("setup/rmmod", 0);
    assertThat(v("setup/unloaded.masters"))
        .as("bonding unloaded")
        .contains("No such file or directory");
    exited("setup/status-unloaded", 0);
    assertThat(v("setup/status-unloaded.out")).isEmpty();
    exited("setup/modprobe", 0);
    assertThat(v("setup/reloaded.masters")).isEqualTo("/sys/class/net/bonding_masters");
  }

  @Test
  void sriovAddsPutEachPfsVfInThePodWithItsAdministrativeMac() throws Exception {
    exited("ab-add/sriov1-add", 0);
    exited("ab-add/sriov2-add", 0);
    JsonNode net1 = json("ab-add/sriov1-add.out").path("interfaces").get(0);
    assertThat(net1.path("name").asText()).isEqualTo("net1");
    assertThat(net1.path("mac").asText()).isEqualTo(MAC1);
    assertThat(net1.path("sandbox").asText()).isEqualTo("/var/run/netns/pod-ab");
    JsonNode net2 = json("ab-add/sriov2-add.out").path("interfaces").get(0);
    assertThat(net2.path("name").asText()).isEqualTo("net2");
    assertThat(net2.path("mac").asText()).isEqualTo(MAC2);
    for (String pf : List.of("pf0", "pf1")) {
      JsonNode vf = vf0("ab-add/" + pf + ".sriov-added.json");
      assertThat(vf.path("address").asText())
          .as(pf + " VF 0 admin MAC")
          .isEqualTo(pf.equals("pf0") ? MAC1 : MAC2);
      assertThat(vf.path("trust").asBoolean()).as(pf + " VF 0 trust").isTrue();
      assertThat(vf.path("spoofchk").asBoolean()).as(pf + " VF 0 spoofchk left on").isTrue();
    }
  }

  @Test
  void activeBackupAddReturnsTheBondItsSlavesAndTheStaticAddress() throws Exception {
    exited("ab-add/add", 0);
    JsonNode r = json("ab-add/add.out");
    assertThat(r.path("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(r.path("interfaces").findValuesAsText("name"))
        .containsExactly("bond0", "net1", "net2");
    for (JsonNode i : r.path("interfaces")) {
      assertThat(i.path("sandbox").asText()).isEqualTo("/var/run/netns/pod-ab");
    }
    assertThat(r.path("ips").get(0).path("address").asText()).isEqualTo("10.56.0.1/24");
    assertThat(r.path("ips").get(0).path("interface").asInt()).isZero();
    assertThat(json("ab-add/addr.out").get(0).path("addr_info").findValuesAsText("local"))
        .contains("10.56.0.1");
    exited("ab-add/check", 0);
  }

  @Test
  void activeBackupOptionsReadBackFromSysfsAndIp() throws Exception {
    assertThat(v("ab-add/sys.mode")).isEqualTo("active-backup 1");
    assertThat(v("ab-add/sys.fail_over_mac")).isEqualTo("active 1");
    assertThat(v("ab-add/sys.miimon")).isEqualTo("0");
    assertThat(v("ab-add/sys.arp_interval")).isEqualTo("100");
    assertThat(v("ab-add/sys.arp_ip_target")).isEqualTo("10.56.0.254");
    assertThat(v("ab-add/sys.arp_validate")).isEqualTo("active 1");
    assertThat(v("ab-add/sys.primary")).isEqualTo("net2");
    assertThat(v("ab-add/sys.active_slave"))
        .as("the primary, once its ARP probes are answered")
        .isEqualTo("net2");
    assertThat(v("ab-add/sys.slaves").split(" ")).containsExactlyInAnyOrder("net1", "net2");
    JsonNode data = json("ab-add/show.out").get(0).path("linkinfo").path("info_data");
    assertThat(data.path("mode").asText()).isEqualTo("active-backup");
    assertThat(data.path("fail_over_mac").asText()).isEqualTo("active");
    assertThat(data.path("arp_interval").asInt()).isEqualTo(100);
    assertThat(data.path("arp_validate").asText()).isEqualTo("active");
    assertThat(data.path("primary").asText()).isEqualTo("net2");
    exited("ab-add/ping", 0);
  }

  @Test
  void pf1LinkLossMovesTheActiveSlaveAndItsReturnBringsThePrimaryBack() {
    exited("failover/off", 0);
    assertThat(v("failover/off.active")).as("PF 1's VF lost its ARP replies").isEqualTo("net1");
    // What this QEMU really does: igbvf is not told of the PF's link loss (e2e README), so the VF
    // keeps carrier; the bond's ARP monitor, not its MII monitor, sees the loss.
    assertThat(v("failover/off.b.carrier")).isEqualTo("1");
    // Lost to the ARP monitor: "down", or "going down" (BOND_LINK_FAIL) while the monitor, which
    // with arp_validate keeps probing the lost slave as a candidate, has it between probes.
    assertThat(v("failover/off.b.mii")).isIn("down", "going down");
    exited("failover/off-ping", 0);
    exited("failover/on", 0);
    assertThat(v("failover/on.active")).as("primary reselected").isEqualTo("net2");
    assertThat(Integer.parseInt(v("failover/off.after-ms"))).isLessThan(20_000);
  }

  /**
   * failOverMac 1 is the kernel's fail_over_mac=active: the bond's MAC is always its active slave's
   * and the slaves keep their own (upstream added it for VFs whose MAC the PF enforces, bond-cni
   * #11/#14): here each VF keeps the administrative MAC the sriov plugin gave it throughout.
   */
  @Test
  void failOverMacActiveGivesTheBondTheActiveSlavesMacAndLeavesTheSlavesAlone() {
    assertThat(v("failover/bond.mac.before")).as("net2 active").isEqualTo(MAC2);
    assertThat(v("failover/bond.mac.off")).as("net1 active").isEqualTo(MAC1);
    assertThat(v("failover/off.a.mac")).isEqualTo(MAC1);
    assertThat(v("failover/off.b.mac")).isEqualTo(MAC2);
    assertThat(v("failover/bond.mac.on")).as("net2 active again").isEqualTo(MAC2);
    assertThat(v("failover/a.mac")).isEqualTo(MAC1);
    assertThat(v("failover/b.mac")).isEqualTo(MAC2);
  }

  @Test
  void activeBackupDelThenTheSriovDelsInReverseOrderRestoreEveryVf() throws Exception {
    exited("ab-del/del-again", 0);
    reverseDelRestoredEveryVf("ab-add", "ab-del");
  }

  @Test
  void lacpOptionsReadBack() throws Exception {
    exited("lacp-add/add", 0);
    assertThat(json("lacp-add/add.out").path("cniVersion").asText()).isEqualTo("0.4.0");
    assertThat(v("lacp-add/sys.mode")).isEqualTo("802.3ad 4");
    assertThat(v("lacp-add/sys.lacp_rate")).isEqualTo("fast 1");
    assertThat(v("lacp-add/sys.xmit_hash_policy")).isEqualTo("layer3+4 1");
    assertThat(v("lacp-add/sys.min_links")).isEqualTo("1");
    assertThat(v("lacp-add/sys.miimon")).isEqualTo("100");
    assertThat(v("lacp-add/sys.slaves").split(" ")).containsExactlyInAnyOrder(a(), b());
    JsonNode link = json("lacp-add/show.out").get(0);
    assertThat(link.path("mtu").asInt()).isEqualTo(1400);
    JsonNode data = link.path("linkinfo").path("info_data");
    assertThat(data.path("mode").asText()).isEqualTo("802.3ad");
    assertThat(data.path("ad_lacp_rate").asText()).isEqualTo("fast");
    assertThat(data.path("xmit_hash_policy").asText()).isEqualTo("layer3+4");
    assertThat(json("lacp-add/host-links.out").findValuesAsText("ifname"))
        .as("moved from the host")
        .doesNotContain(a(), b());
    exited("lacp-add/check", 0);
  }

  @Test
  void aRefusedNetconfIsACniErrorOnStdout() throws Exception {
    exited("lacp-add/bad", 1);
    JsonNode e = json("lacp-add/bad.out");
    assertThat(e.path("code").asInt()).isEqualTo(7);
    assertThat(e.path("msg").asText())
        .isEqualTo(
            "xmitHashPolicy: not supported in mode active-backup (only in balance-xor,"
                + " 802.3ad, balance-tlb)");
  }

  @Test
  void lacpDelGivesTheVfsBackAsTheyWere() throws Exception {
    exited("lacp-del/del", 0);
    assertThat(json("lacp-del/links.out").findValuesAsText("ifname")).containsExactly("lo");
    for (String vf : List.of("a", "b")) {
      JsonNode before = json("lacp-add/" + vf + ".before.json").get(0);
      JsonNode after = json("lacp-del/" + vf + ".after.json").get(0);
      for (String f : List.of("ifname", "address", "mtu")) {
        assertThat(after.path(f)).as(vf + " " + f).isEqualTo(before.path(f));
      }
      assertThat(after.path("flags").toString().contains("\"UP\""))
          .as(vf + " up as before ADD")
          .isEqualTo(before.path("flags").toString().contains("\"UP\""))
          .isTrue();
    }
  }

  @Test
  void lacpOverTheSriovPluginsVfsReadsBack() throws Exception {
    exited("lacp-sriov-add/sriov1-add", 0);
    exited("lacp-sriov-add/sriov2-add", 0);
    for (String pf : List.of("pf0", "pf1")) {
      JsonNode vf = vf0("lacp-sriov-add/" + pf + ".sriov-added.json");
      assertThat(vf.path("trust").asBoolean()).as(pf + " VF 0 trust").isTrue();
      assertThat(vf.path("spoofchk").asBoolean()).as(pf + " VF 0 spoofchk").isFalse();
    }
    exited("lacp-sriov-add/add", 0);
    assertThat(json("lacp-sriov-add/add.out").path("interfaces").findValuesAsText("name"))
        .containsExactly("bond0", "net1", "net2");
    assertThat(v("lacp-sriov-add/sys.mode")).isEqualTo("802.3ad 4");
    assertThat(v("lacp-sriov-add/sys.miimon")).isEqualTo("100");
    assertThat(v("lacp-sriov-add/sys.lacp_rate")).isEqualTo("fast 1");
    assertThat(v("lacp-sriov-add/sys.xmit_hash_policy")).isEqualTo("layer2+3 2");
    assertThat(v("lacp-sriov-add/sys.slaves").split(" ")).containsExactlyInAnyOrder("net1", "net2");
    JsonNode data = json("lacp-sriov-add/show.out").get(0).path("linkinfo").path("info_data");
    assertThat(data.path("mode").asText()).isEqualTo("802.3ad");
    assertThat(data.path("ad_lacp_rate").asText()).isEqualTo("fast");
    assertThat(data.path("xmit_hash_policy").asText()).isEqualTo("layer2+3");
    exited("lacp-sriov-add/check", 0);
  }

  @Test
  void lacpDelThenTheSriovDelsInReverseOrderRestoreEveryVf() throws Exception {
    reverseDelRestoredEveryVf("lacp-sriov-add", "lacp-sriov-del");
  }
}
