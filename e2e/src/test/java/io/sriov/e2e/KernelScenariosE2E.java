package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.value.MacAddress;
import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.Pcap;
import io.sriov.e2e.harness.TestVm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Real kernel behaviour of SR-IOV on the emulated igb NICs, as the stack relies on it: one guest
 * boot runs {@code e2e/vm/scenarios/kernel.sh}, which records evidence per step; each test here
 * judges one step. PF 0 is 0000:00:02.0 with 4 VFs, PF 1 is 0000:00:04.0 with 2 VFs; the PFs' ports
 * share one QEMU hub, so VF traffic between the PFs crosses a real (emulated) wire.
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
  void everyVfCompletesItsResetHandshakeWithThePf() {
    // The VF BARs sit below 4 GiB (see run-in-guest.sh: QEMU 10.0 decodes VF BARs as 32-bit).
    for (String vf : List.of("pf0.vf0", "pf0.vf1", "pf0.vf2", "pf0.vf3", "pf1.vf0", "pf1.vf1")) {
      List<String> bars = v("vf-create/" + vf + ".bars").lines().toList();
      assertThat(bars).as(vf).hasSize(2);
      for (String bar : bars) {
        long start = Long.decode(bar.split(" ")[0]);
        assertThat(start).as(vf + " BAR " + bar).isPositive().isLessThan(1L << 32);
      }
    }
    // Each VF's reset request raised the PF's "other" MSI-X vector (entry 0) at least once.
    assertThat(msix("vf-create/pf0.irqs").get(0)).isGreaterThanOrEqualTo(4);
    assertThat(msix("vf-create/pf1.irqs").get(0)).isGreaterThanOrEqualTo(2);
    // Every VF's last probe had the PF's answer (a VF whose handshake timed out under host load
    // was probed again: vf-create/probe-retries counts those).
    assertThat(v("vf-create/handshake-failed")).isEmpty();
    assertThat(Integer.parseInt(v("vf-create/probe-retries"))).isLessThanOrEqualTo(6);
    assertThat(v("logs/dmesg.out")).contains("igbvf 0000:00:14.2: Address: ");
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
    // VF 0's administrative MAC is gone; VF 1 never had one: the PF lists what its driver asked
    // for through the mailbox, the VF netdev's own MAC.
    assertThat(vfs.get(0).path("address").asText()).isEqualTo("00:00:00:00:00:00");
    assertThat(vfs.get(1).path("address").asText()).isEqualTo(v("vf-attrs/vf1.address"));
    for (JsonNode vf : List.of(vfs.get(0), vfs.get(1))) {
      assertThat(vf.path("vlan_list").get(0).path("vlan").isMissingNode()).isTrue();
      assertThat(vf.path("spoofchk").asBoolean()).isTrue();
      assertThat(vf.path("trust").asBoolean()).isFalse();
      assertThat(vf.path("rate").path("max_tx").asInt()).isZero();
    }
  }

  @Test
  void theVfNetdevTakesTheAdministrativeMacOnlyOnReloadAndItsOwnMacOnlyWhenTrusted()
      throws Exception {
    for (String step :
        List.of(
            "admin-mac",
            "up",
            "reload-unbind",
            "reload-bind",
            "up-again",
            "trust-on",
            "own-mac-trusted",
            "trust-off",
            "down",
            "mtu-9000",
            "mtu-1500",
            "admin-mac-reset")) {
      assertThat(rc("vf-netdev", step)).as(step + ": " + v("vf-netdev/" + step + ".err")).isZero();
    }
    // igb keeps the PF's `vf 0 mac` for the VF's next reset handshake: the running netdev keeps
    // its address until igbvf probes again.
    assertThat(v("vf-netdev/address.after-admin-mac")).isEqualTo(v("vf-netdev/address.before"));
    assertThat(v("vf-netdev/address.after-reload")).isEqualTo("02:aa:bb:cc:dd:01");
    // An untrusted VF asks the PF for any MAC in vain (even the administrative one): igbvf turns
    // the mailbox NACK into EADDRNOTAVAIL. Whoever configures the VF (sriov-cni) must not expect
    // to set the netdev's MAC while an administrative MAC is in place, unless the VF is trusted.
    for (String refused : List.of("own-mac", "own-mac-admin")) {
      assertThat(rc("vf-netdev", refused)).isEqualTo(2);
      assertThat(v("vf-netdev/" + refused + ".err"))
          .isEqualTo("RTNETLINK answers: Cannot assign requested address");
    }
    assertThat(v("vf-netdev/address.after-own-mac")).isEqualTo(v("vf-netdev/address.before"));
    assertThat(v("vf-netdev/address.after-own-mac-trusted")).isEqualTo("02:aa:bb:cc:dd:03");
    assertThat(v("vf-netdev/mtu.9000")).isEqualTo("9000");
    // VLAN filters requested by a VF go through the PF's mailbox: an 802.1Q sub-interface works.
    assertThat(rc("vf-netdev", "vlan-subif")).as(v("vf-netdev/vlan-subif.err")).isZero();
    JsonNode vlan = json("vf-netdev/vlan-subif-show.out").get(0).path("linkinfo");
    assertThat(vlan.path("info_kind").asText()).isEqualTo("vlan");
    assertThat(vlan.path("info_data").path("id").asInt()).isEqualTo(100);
    assertThat(rc("vf-netdev", "vlan-subif-del")).isZero();
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
    // Both VFs have carrier; the first enslaved becomes the active slave.
    assertThat(v("bond/active_slave")).isEqualTo(v("bond/slaves.wanted").split(" ")[0]);
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

  /** 1 MiB: what each TCP transfer of the datapath step sends. */
  private static final long MIB = 1 << 20;

  private static final String PING_OK = "3 packets transmitted, 3 packets received, 0% packet loss";

  /** {@code ethtool -S} output as name -> value. */
  private static Map<String, Long> ethtool(String relative) {
    Map<String, Long> out = new HashMap<>();
    v(relative)
        .lines()
        .map(String::strip)
        .filter(l -> l.matches("[a-z_]+: [0-9]+"))
        .forEach(l -> out.put(l.split(": ")[0], Long.parseLong(l.split(": ")[1])));
    return out;
  }

  /** One counter of {@code ip -j -s link} output: {@code stat(file, "rx", "bytes")}. */
  private static long stat(String relative, String direction, String counter) throws Exception {
    return json(relative).get(0).path("stats64").path(direction).path(counter).asLong(-1);
  }

  private static long delta(String pod, String direction, String counter) throws Exception {
    String step = "datapath/" + pod + ".link.";
    return stat(step + "after.out", direction, counter)
        - stat(step + "before.out", direction, counter);
  }

  private static long ethtoolDelta(String pod, String counter) {
    String step = "datapath/" + pod + ".ethtool.";
    return ethtool(step + "after.out").get(counter) - ethtool(step + "before.out").get(counter);
  }

  /**
   * Interrupt counts of one device's MSI-X entries from its {@code /proc/interrupts} lines: entry
   * -> sum over CPUs.
   */
  private static Map<Integer, Long> msix(String relative) {
    Map<Integer, Long> out = new HashMap<>();
    for (String line : v(relative).lines().toList()) {
      String[] f = line.strip().split("\\s+");
      long sum = 0;
      int i = 1;
      for (; f[i].matches("[0-9]+"); i++) {
        sum += Long.parseLong(f[i]);
      }
      out.put(Integer.parseInt(f[i + 1].replace("-edge", "")), sum);
    }
    return out;
  }

  private static List<Pcap.Frame> wire(int pf) throws Exception {
    return Pcap.read(run.path(".vm/pf" + pf + ".pcap"));
  }

  private static MacAddress mac(String pod) {
    return MacAddress.parse(v("datapath/" + pod + ".mac"));
  }

  /** Total length of the IPv4 frames from one pod's VF to another's on a PF's port. */
  private static long ipv4Bytes(List<Pcap.Frame> frames, String from, String to) {
    return frames.stream()
        .filter(f -> f.isIpv4() && f.between(mac(from), mac(to)))
        .mapToLong(Pcap.Frame::length)
        .sum();
  }

  /**
   * Pods on VFs: a = PF 0's VF 2, b = PF 1's VF 1, c = PF 0's VF 3, each in its own network
   * namespace with 10.56.0.{1,2,3}/24; a <-> b crosses the QEMU hub between the PFs, a <-> c stays
   * in PF 0's switch.
   */
  @Nested
  class Datapath {

    @Test
    void vfsOfBothPfsComeUpWithCarrierInTheirNamespaces() throws Exception {
      assertThat(v("datapath/a.pci")).isEqualTo("0000:00:12.4");
      assertThat(v("datapath/b.pci")).isEqualTo("0000:00:14.2");
      assertThat(v("datapath/c.pci")).isEqualTo("0000:00:12.6");
      for (String pod : List.of("a", "b", "c")) {
        for (String op : List.of("ns", "move", "mac", "addr", "up")) {
          String name = op + "-" + pod;
          assertThat(rc("datapath", name))
              .as(name + ": " + v("datapath/" + name + ".err"))
              .isZero();
        }
        assertThat(v("datapath/" + pod + ".carrier")).as(pod).isEqualTo("1");
        JsonNode link = json("datapath/" + pod + ".link.before.out").get(0);
        assertThat(link.path("ifname").asText()).isEqualTo(v("datapath/" + pod + ".netdev"));
        assertThat(link.path("address").asText()).isEqualTo(v("datapath/" + pod + ".mac"));
        assertThat(link.path("operstate").asText()).isEqualTo("UP");
      }
    }

    @Test
    void pingCrossesThePfsBothWaysAndReachesAVfOfTheSamePf() {
      for (String ping : List.of("ping-a-b", "ping-b-a", "ping-a-c", "ping-c-a")) {
        assertThat(rc("datapath", ping)).as(ping + ": " + v("datapath/" + ping + ".out")).isZero();
        assertThat(v("datapath/" + ping + ".out")).contains(PING_OK);
      }
    }

    @Test
    void aMebibyteCrossesByTcpUnchanged() {
      for (String tcp : List.of("tcp-a-b", "tcp-c-a")) {
        String t = "datapath/" + tcp;
        assertThat(rc("datapath", tcp)).as(tcp + ": " + v(t + ".err")).isZero();
        assertThat(v(t + ".server.rc")).as(v(t + ".server.err")).isEqualTo("0");
        assertThat(v(t + ".bytes")).isEqualTo(Long.toString(MIB));
        assertThat(v(t + ".sha256.got")).isEqualTo(v(t + ".sha256.sent"));
      }
    }

    @Test
    void theVfNetdevsCountTheTransfers() throws Exception {
      // IFLA_STATS64 of the VF netdevs, read in their namespaces: a sent 1 MiB to b and got 1 MiB
      // from c.
      assertThat(delta("a", "tx", "bytes")).isGreaterThanOrEqualTo(MIB);
      assertThat(delta("b", "rx", "bytes")).isGreaterThanOrEqualTo(MIB);
      assertThat(delta("c", "tx", "bytes")).isGreaterThanOrEqualTo(MIB);
      assertThat(delta("a", "rx", "bytes")).isGreaterThanOrEqualTo(MIB);
      // At most 1448 bytes of TCP payload per frame.
      assertThat(delta("b", "rx", "packets")).isGreaterThanOrEqualTo(MIB / 1448);
      for (String pod : List.of("a", "b", "c")) {
        assertThat(delta(pod, "rx", "errors")).as(pod).isZero();
        assertThat(delta(pod, "tx", "errors")).as(pod).isZero();
      }
    }

    @Test
    void theVfsHardwareCountersCountTheTransfers() {
      // igbvf's ethtool -S reads the VF's own counters in the NIC (VFGPRC/VFGORC, VFGPTC/VFGOTC).
      assertThat(ethtoolDelta("a", "tx_bytes")).isGreaterThanOrEqualTo(MIB);
      assertThat(ethtoolDelta("b", "rx_bytes")).isGreaterThanOrEqualTo(MIB);
      assertThat(ethtoolDelta("c", "tx_bytes")).isGreaterThanOrEqualTo(MIB);
      assertThat(ethtoolDelta("a", "rx_bytes")).isGreaterThanOrEqualTo(MIB);
      assertThat(ethtoolDelta("b", "rx_packets")).isGreaterThanOrEqualTo(MIB / 1448);
    }

    @Test
    void thePfsPerVfStatisticsStayZeroBecauseIgbHasNone() throws Exception {
      // igb implements no ndo_get_vf_stats: the kernel still sends IFLA_VF_STATS, all zeros. A
      // per-VF exporter reading the PF gets nothing on igb; the VF netdev's own statistics move.
      for (String[] pfVf : new String[][] {{"pf0", "2"}, {"pf1", "1"}}) {
        JsonNode vf = json("datapath/" + pfVf[0] + ".link.after.out").get(0).path("vfinfo_list");
        JsonNode stats = vf.get(Integer.parseInt(pfVf[1])).path("stats");
        assertThat(stats.path("rx").path("bytes").isMissingNode()).as(pfVf[0]).isFalse();
        List<Long> values = new ArrayList<>();
        stats.path("rx").forEach(n -> values.add(n.asLong()));
        stats.path("tx").forEach(n -> values.add(n.asLong()));
        assertThat(values).as(pfVf[0] + " vf " + pfVf[1]).hasSize(8).containsOnly(0L);
      }
    }

    @Test
    void crossPfTrafficCrossesTheWireAndSamePfTrafficDoesNot() throws Exception {
      for (int pf : List.of(0, 1)) {
        List<Pcap.Frame> frames = wire(pf);
        assertThat(ipv4Bytes(frames, "a", "b")).as("a -> b at PF %d's port", pf).isGreaterThan(MIB);
        assertThat(ipv4Bytes(frames, "b", "a")).as("b -> a at PF %d's port", pf).isPositive();
        // a <-> c (1 MiB and pings) went through PF 0's own switch only.
        assertThat(ipv4Bytes(frames, "c", "a") + ipv4Bytes(frames, "a", "c"))
            .as("a <-> c at PF %d's port", pf)
            .isZero();
        assertThat(frames.stream().filter(f -> f.isIpv4() && f.source().equals(mac("c"))))
            .isEmpty();
      }
    }
  }

  /** QEMU set_link on PF 1 while pod a talks to pod b (PF 1's VF). */
  @Nested
  class DatapathLink {

    @Test
    void setLinkOffStopsTheTrafficToPf1sVf() {
      assertThat(v("datapath-link/ping-before.out")).contains("2 packets received, 0% packet loss");
      assertThat(v("datapath-link/link-off.out")).isEqualTo("{\"return\": {}}");
      assertThat(v("datapath-link/pf1.carrier.off")).isEqualTo("0");
      assertThat(rc("datapath-link", "ping-off")).isEqualTo(1);
      assertThat(v("datapath-link/ping-off.out"))
          .contains("3 packets transmitted, 0 packets received, 100% packet loss");
      // The TCP connect gets no answer: timeout(1) ends it, or (if pod b's neighbour entry ran out
      // meanwhile) ARP fails first. Never a refusal: nothing reaches pod b.
      int tcpOff = rc("datapath-link", "tcp-off");
      assertThat(tcpOff).as(v("datapath-link/tcp-off.err")).isIn(1, 124);
      if (tcpOff == 1) {
        assertThat(v("datapath-link/tcp-off.err")).contains("No route to host");
      }
    }

    @Test
    void igbvfIsNotToldOfThePfLinkLossByThisQemu() {
      // QEMU 10.0's igb raises the PF-to-VF mailbox interrupt on the VF's MSI-X entry (IVAR_MISC &
      // 3) used as a bit mask: igbvf's "other" vector is entry 2, the interrupt lands on entry 1
      // (rx). igbvf never hears the PF's link-change message, so its carrier stays up. A fixed QEMU
      // fails this test: the VF's carrier then drops (see e2e/README.md).
      // Unless igbvf reset itself meanwhile (a mailbox timeout under heavy host load), which makes
      // it read the link anew.
      if (v("datapath-link/b.driver-log.off").isEmpty()) {
        assertThat(v("datapath-link/b.carrier.off"))
            .as("pod b's VF carrier 4 s into PF 1's link loss")
            .isEqualTo("1");
      }
      for (String when : List.of("before", "off", "after")) {
        Map<Integer, Long> irqs = msix("datapath-link/b.irqs." + when);
        assertThat(irqs.keySet()).as(when).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(irqs.get(0)).as(when + ": tx vector").isPositive();
        assertThat(irqs.get(1)).as(when + ": rx vector").isPositive();
        assertThat(irqs.get(2)).as(when + ": the VF's mailbox/other vector").isZero();
      }
    }

    @Test
    void aVfThatReopensSeesThePfLinkDownAndRegainsCarrierWhenItReturns() {
      assertThat(rc("datapath-link", "b-down")).isZero();
      assertThat(rc("datapath-link", "b-up")).isZero();
      // igbvf_open asks the NIC for the link: the PF's is down, so no carrier.
      assertThat(v("datapath-link/b.carrier.reopened")).isEqualTo("0");
      assertThat(v("datapath-link/b.operstate.reopened")).isEqualTo("down");
      assertThat(v("datapath-link/link-on.out")).isEqualTo("{\"return\": {}}");
      assertThat(v("datapath-link/pf1.carrier.on")).isEqualTo("1");
      // igbvf's watchdog (every 2 s) keeps asking while it has no link, and finds it back: 1-3 s
      // on a quiet host; up to ~35 s at load average 17, where mailbox timeouts send igbvf through
      // its reset task (12 s rounds) first.
      assertThat(v("datapath-link/b.carrier.on")).isEqualTo("1");
      assertThat(Long.parseLong(v("datapath-link/b.carrier-return-ms"))).isLessThan(60_000);
      List<String> events = v("datapath-link/monitor.out").lines().toList();
      assertThat(events).hasSizeGreaterThanOrEqualTo(3);
      assertThat(events.get(events.size() - 2)).contains("NO-CARRIER", ",UP>");
      assertThat(events.getLast()).contains("LOWER_UP").doesNotContain("NO-CARRIER");
    }

    @Test
    void trafficResumesAfterSetLinkOn() {
      assertThat(rc("datapath-link", "ping-on")).isZero();
      assertThat(v("datapath-link/ping-on.out")).contains(PING_OK);
      assertThat(rc("datapath-link", "tcp-on")).isZero();
      assertThat(v("datapath-link/tcp-on.bytes")).isEqualTo("262144");
      assertThat(v("datapath-link/tcp-on.sha256.got"))
          .isEqualTo(v("datapath-link/tcp-on.sha256.sent"));
    }

    @Test
    void deletingThePodNamespacesReturnsTheVfNetdevs() {
      for (String pod : List.of("a", "b", "c")) {
        assertThat(rc("datapath-link", "ns-del-" + pod)).isZero();
      }
      assertThat(v("datapath-link/vfs.back")).isEqualTo("3");
    }
  }
}
