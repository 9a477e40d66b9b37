package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.TestVm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real kernel behaviour of SR-IOV on the emulated igb NICs, as the stack relies on it: one guest
 * boot runs {@code e2e/vm/scenarios/kernel.sh}, which records evidence per step; each test here
 * judges one step. PF 0 is 0000:00:02.0 with 4 VFs, PF 1 is 0000:00:04.0 with 2 VFs.
 */
class KernelScenariosE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static GuestRun run;

  @BeforeAll
  static void boot() throws Exception {
    run = TestVm.run(TestVm.request("kernel", List.of("e2e/vm/scenarios/kernel.sh")));
  }

  /** A value the guest recorded, e.g. {@code v("vf-create/pf0.numvfs")}. */
  private static String v(String relative) {
    return run.text("kernel/" + relative)
        .orElseThrow(
            () ->
                new AssertionError(
                    "guest recorded no kernel/" + relative + "\n" + run.diagnostics()));
  }

  private static int rc(String step, String name) {
    return Integer.parseInt(v(step + "/" + name + ".rc"));
  }

  private static JsonNode json(String relative) throws Exception {
    return JSON.readTree(v(relative));
  }

  private static List<String> names(JsonNode links) {
    List<String> out = new ArrayList<>();
    links.forEach(l -> out.add(l.path("ifname").asText()));
    return out;
  }

  @Test
  void scriptRanToTheEnd() {
    assertThat(run.exitCode()).as(run.diagnostics()).isZero();
    assertThat(run.path("kernel/complete")).exists();
  }

  @Test
  void pfsAreIgbWithSevenVfsEach() {
    assertThat(v("pfs/list")).isEqualTo("0000:00:02.0 0000:00:04.0");
    for (String pf : List.of("pf0", "pf1")) {
      assertThat(v("pfs/" + pf + ".totalvfs")).isEqualTo("7");
      assertThat(v("pfs/" + pf + ".numvfs")).isEqualTo("0");
      assertThat(v("pfs/" + pf + ".vendor-device")).isEqualTo("0x8086 0x10c9");
      assertThat(v("pfs/" + pf + ".netdev")).matches("eth[0-9]+");
    }
    assertThat(v("pfs/lspci.out"))
        .contains("0000:00:02.0 0200: 8086:10c9", "0000:00:04.0 0200: 8086:10c9");
  }

  @Test
  void vfsAreCreatedAtTheirRoutingIdsWithIgbvfNetdevs() throws Exception {
    assertThat(rc("vf-create", "pf0-write")).isZero();
    assertThat(rc("vf-create", "pf1-write")).isZero();
    assertThat(v("vf-create/pf0.numvfs")).isEqualTo("4");
    assertThat(v("vf-create/pf1.numvfs")).isEqualTo("2");
    // igb: first VF offset 0x80, stride 2 (routing IDs), so PF 00:02.0 -> 00:12.0, 00:12.2, ...
    List<String> expected =
        List.of(
            "pf0.vf0 0000:00:12.0 0000:00:02.0",
            "pf0.vf1 0000:00:12.2 0000:00:02.0",
            "pf0.vf2 0000:00:12.4 0000:00:02.0",
            "pf0.vf3 0000:00:12.6 0000:00:02.0",
            "pf1.vf0 0000:00:14.0 0000:00:04.0",
            "pf1.vf1 0000:00:14.2 0000:00:04.0");
    List<String> netdevs = new ArrayList<>();
    for (String line : expected) {
      String[] f = line.split(" ");
      assertThat(v("vf-create/" + f[0] + ".pci")).as(f[0]).isEqualTo(f[1]);
      assertThat(v("vf-create/" + f[0] + ".physfn")).as(f[0]).isEqualTo(f[2]);
      assertThat(v("vf-create/" + f[0] + ".driver")).as(f[0]).isEqualTo("igbvf");
      assertThat(v("vf-create/" + f[0] + ".vendor-device")).isEqualTo("0x8086 0x10ca");
      netdevs.add(v("vf-create/" + f[0] + ".netdev"));
    }
    assertThat(netdevs).doesNotHaveDuplicates().allMatch(n -> n.matches("eth[0-9]+"));
    assertThat(v("vf-create/lspci-vfs.out").lines().map(l -> l.split(" ")[0]))
        .containsExactlyElementsOf(expected.stream().map(l -> l.split(" ")[1]).toList());

    JsonNode links = json("vf-create/ip-link.out");
    assertThat(names(links)).containsAll(netdevs);
    for (JsonNode link : links) {
      String name = link.path("ifname").asText();
      if (name.equals(v("pfs/pf0.netdev"))) {
        assertThat(link.path("vfinfo_list")).hasSize(4);
      } else if (name.equals(v("pfs/pf1.netdev"))) {
        assertThat(link.path("vfinfo_list")).hasSize(2);
      } else if (netdevs.contains(name)) {
        // The netlink view of a VF netdev names its PCI function, as sysfs does.
        String vf = expected.get(netdevs.indexOf(name)).split(" ")[1];
        assertThat(link.path("parentbus").asText()).isEqualTo("pci");
        assertThat(link.path("parentdev").asText()).as(name).isEqualTo(vf);
      }
    }
  }

  @Test
  void vfCountChangesTheKernelRefusesKeepTheCount() {
    assertThat(rc("vf-count-errors", "change-nonzero")).isEqualTo(1);
    assertThat(v("vf-count-errors/change-nonzero.err"))
        .endsWith("write error: Device or resource busy");
    assertThat(v("vf-count-errors/over-total.err"))
        .endsWith("write error: Numerical result out of range");
    assertThat(v("vf-count-errors/not-a-number.err")).endsWith("write error: Invalid argument");
    assertThat(v("vf-count-errors/pf0.numvfs")).isEqualTo("4");
    assertThat(v("vf-count-errors/pf1.numvfs")).isEqualTo("2");
  }

  @Test
  void vfAttributesTheIgbDriverSupportsReadBack() throws Exception {
    assertThat(v("vf-attrs/pf0.carrier")).isEqualTo("1");
    for (String accepted : List.of("mac", "vlan-qos", "spoofchk-off", "trust-on", "max-tx-rate")) {
      assertThat(rc("vf-attrs", accepted))
          .as(accepted + ": " + v("vf-attrs/" + accepted + ".err"))
          .isZero();
    }
    JsonNode vfs = json("vf-attrs/show.out").get(0).path("vfinfo_list");
    JsonNode vf0 = vfs.get(0);
    assertThat(vf0.path("vf").asInt()).isZero();
    assertThat(vf0.path("address").asText()).isEqualTo("02:11:22:33:44:55");
    assertThat(vf0.path("vlan_list").get(0).path("vlan").asInt()).isEqualTo(100);
    assertThat(vf0.path("vlan_list").get(0).path("qos").asInt()).isEqualTo(3);
    assertThat(vf0.path("spoofchk").asBoolean()).isFalse();
    assertThat(vf0.path("trust").asBoolean()).isTrue();
    assertThat(vf0.path("link_state").asText()).isEqualTo("auto");
    assertThat(vfs.get(1).path("rate").path("max_tx").asInt()).isEqualTo(100);
    assertThat(vfs.get(1).path("rate").path("min_tx").asInt()).isZero();
    // The same as `ip link show` prints it.
    assertThat(v("vf-attrs/show-text.out"))
        .contains(
            "vf 0     link/ether 02:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff, vlan 100, qos 3,"
                + " spoof checking off, link-state auto, trust on");
  }

  @Test
  void vfAttributesTheIgbDriverRefuses() {
    // igb has no min rate, no per-VF link state and no RSS query: the kernel says so.
    assertThat(rc("vf-attrs", "min-tx-rate")).isEqualTo(2);
    assertThat(v("vf-attrs/min-tx-rate.err")).isEqualTo("RTNETLINK answers: Invalid argument");
    assertThat(v("vf-attrs/link-state.err"))
        .isEqualTo("RTNETLINK answers: Operation not supported");
    assertThat(v("vf-attrs/query-rss.err")).isEqualTo("RTNETLINK answers: Operation not supported");
    assertThat(v("vf-attrs/vf-out-of-range.err")).isEqualTo("RTNETLINK answers: Invalid argument");
  }

  @Test
  void vfAttributesResetToDefaults() throws Exception {
    assertThat(rc("vf-attrs", "reset")).as(v("vf-attrs/reset.err")).isZero();
    assertThat(rc("vf-attrs", "reset-rate")).isZero();
    JsonNode vfs = json("vf-attrs/show-after-reset.out").get(0).path("vfinfo_list");
    for (JsonNode vf : List.of(vfs.get(0), vfs.get(1))) {
      assertThat(vf.path("address").asText()).isEqualTo("00:00:00:00:00:00");
      assertThat(vf.path("vlan_list").get(0).path("vlan").isMissingNode()).isTrue();
      assertThat(vf.path("spoofchk").asBoolean()).isTrue();
      assertThat(vf.path("trust").asBoolean()).isFalse();
      assertThat(vf.path("rate").path("max_tx").asInt()).isZero();
    }
  }

  @Test
  void theVfNetdevTakesItsOwnMacAndMtuButNotTheAdministrativeMac() {
    for (String step : List.of("admin-mac", "up", "own-mac", "down", "mtu-9000", "mtu-1500")) {
      assertThat(rc("vf-netdev", step)).as(step + ": " + v("vf-netdev/" + step + ".err")).isZero();
    }
    // In this guest (QEMU igb, igbvf) the PF's `vf 0 mac` does not reach the running VF netdev:
    // whoever configures the VF (sriov-cni) must set the netdev's own MAC too.
    assertThat(v("vf-netdev/address.after-admin-mac")).isEqualTo(v("vf-netdev/address.before"));
    assertThat(v("vf-netdev/address.after-own-mac")).isEqualTo("02:aa:bb:cc:dd:02");
    assertThat(v("vf-netdev/mtu.9000")).isEqualTo("9000");
    // QEMU's igb refuses VLAN filters requested by a VF: no 802.1Q sub-interface on a VF here.
    assertThat(v("vf-netdev/vlan-subif.err")).isEqualTo("RTNETLINK answers: Invalid argument");
    assertThat(rc("vf-netdev", "admin-mac-reset")).isZero();
  }

  @Test
  void aVfMovesToVfioPciAndBack() {
    assertThat(v("vfio/vf.pci")).isEqualTo("0000:00:12.2");
    assertThat(v("vfio/driver.before")).isEqualTo("igbvf");
    String group = v("vfio/iommu_group");
    assertThat(group).matches("[0-9]+");
    for (String write :
        List.of("override", "unbind", "bind", "clear-override", "unbind-vfio", "probe")) {
      assertThat(rc("vfio", write)).as(write + ": " + v("vfio/" + write + ".err")).isZero();
    }
    assertThat(v("vfio/driver.bound")).isEqualTo("vfio-pci");
    assertThat(v("vfio/netdev.bound")).isEmpty();
    assertThat(v("vfio/dev-vfio.out").lines()).contains(group, "vfio");
    assertThat(v("vfio/driver.after")).isEqualTo("igbvf");
    assertThat(v("vfio/netdev.after")).matches("eth[0-9]+");
    assertThat(v("vfio/override.after")).isEqualTo("(null)");
    assertThat(v("vfio/bind-unknown-device.err")).endsWith("write error: No such device");
  }

  @Test
  void aVfNetdevMovesIntoANamespaceAndBack() throws Exception {
    String dev = v("netns/vf.netdev");
    assertThat(rc("netns", "add")).isZero();
    assertThat(rc("netns", "move")).as(v("netns/move.err")).isZero();
    assertThat(names(json("netns/in-ns.out"))).contains(dev, "lo");
    assertThat(names(json("netns/in-host.out"))).doesNotContain(dev);
    // sysfs of the host namespace no longer lists the netdev under its PCI device.
    assertThat(v("netns/sysfs-net-in-ns")).isEmpty();
    assertThat(rc("netns", "back")).as(v("netns/back.err")).isZero();
    assertThat(names(json("netns/in-host-after.out"))).containsExactly(dev);
    assertThat(rc("netns", "del")).isZero();
  }

  @Test
  void twoVfsOfDifferentPfsFormAnActiveBackupBond() throws Exception {
    assertThat(v("bond/bonds-at-load.out")).isEmpty();
    for (String step : List.of("add", "enslave-a", "enslave-b", "up", "del")) {
      assertThat(rc("bond", step)).as(step + ": " + v("bond/" + step + ".err")).isZero();
    }
    assertThat(v("bond/slaves")).isEqualTo(v("bond/slaves.wanted"));
    assertThat(v("bond/mode")).isEqualTo("active-backup 1");
    assertThat(v("bond/a.master")).isEqualTo("e2ebond");
    JsonNode info = json("bond/show.out").get(0).path("linkinfo");
    assertThat(info.path("info_kind").asText()).isEqualTo("bond");
    assertThat(info.path("info_data").path("mode").asText()).isEqualTo("active-backup");
    assertThat(info.path("info_data").path("miimon").asInt()).isEqualTo(100);
    assertThat(v("bond/a.master.after")).isEmpty();
  }

  @Test
  void qemuSetLinkIsSeenAsCarrierLossAndReturn() {
    assertThat(v("carrier/carrier.before")).isEqualTo("1");
    assertThat(v("carrier/link-off.out")).isEqualTo("{\"return\": {}}");
    assertThat(v("carrier/carrier.off")).isEqualTo("0");
    assertThat(v("carrier/operstate.off")).isEqualTo("down");
    assertThat(v("carrier/carrier.on")).isEqualTo("1");
    assertThat(v("carrier/operstate.on")).isEqualTo("up");
    // RTM_NEWLINK events: carrier lost, then back.
    List<String> events = v("carrier/monitor.out").lines().filter(l -> l.contains("<")).toList();
    assertThat(events).hasSizeGreaterThanOrEqualTo(2);
    assertThat(events.getFirst()).contains("NO-CARRIER");
    assertThat(events.getLast()).contains("LOWER_UP").doesNotContain("NO-CARRIER");
    assertThat(rc("carrier", "unknown-nic")).isEqualTo(1);
    assertThat(v("carrier/unknown-nic.out"))
        .isEqualTo(
            "{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'pf9' not found\"}}");
  }

  @Test
  void vfsAreRemoved() {
    assertThat(rc("vf-remove", "pf0-write")).isZero();
    assertThat(rc("vf-remove", "pf1-write")).isZero();
    assertThat(v("vf-remove/pf0.numvfs")).isEqualTo("0");
    assertThat(v("vf-remove/pf1.numvfs")).isEqualTo("0");
    assertThat(v("vf-remove/virtfns")).isEqualTo("0");
    assertThat(v("vf-remove/lspci-vfs.out")).isEmpty();
  }
}
