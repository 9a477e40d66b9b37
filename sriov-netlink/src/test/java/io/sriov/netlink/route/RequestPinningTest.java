package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.testing.Captured;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins request bytes this kernel cannot execute (no SR-IOV PF, no bonding module) against what
 * iproute2 6.1 sends for the same command, captured with strace by capture-iproute2.sh. The
 * nlmsghdr differs by design (type RTM_SETLINK vs RTM_NEWLINK for VF, seq, NLM_F_ACK added at
 * send), so it is checked field by field and the rest byte for byte.
 */
class RequestPinningTest {

  private static byte[] bytes(MessageWriter w) {
    return Captured.toBytes(w.finish(0));
  }

  private static void assertBodyEquals(byte[] ours, byte[] iproute2) {
    assertThat(ours.length).as("nlmsg_len").isEqualTo(iproute2.length);
    assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(ours, 16, ours.length)))
        .isEqualTo(HexFormat.of().formatHex(Arrays.copyOfRange(iproute2, 16, iproute2.length)));
  }

  @Test
  void vfAttributesMatchIproute2() {
    // ip link set dev lo vf 3 mac 02:11:22:33:44:55 vlan 100 qos 5 proto 802.1ad
    //   min_tx_rate 10 max_tx_rate 1000 spoofchk off trust on state disable
    MessageWriter w = new MessageWriter();
    RtnlRequests.setVf(w, 1, everySetting());
    byte[] ours = bytes(w);
    assertBodyEquals(ours, Captured.hex("vf-set.request.hex"));
    assertThat(ours[4]).isEqualTo((byte) Rtnetlink.RTM_SETLINK);
    assertThat(ours[6]).isEqualTo((byte) Netlink.NLM_F_REQUEST);
  }

  @Test
  void singleVfAttributeIsOneStruct() {
    MessageWriter w = new MessageWriter();
    RtnlRequests.setVf(w, 7, VfConfig.forVf(VfIndex.of(0)).trust(true).build());
    assertThat(HexFormat.of().formatHex(bytes(w)).substring(32))
        .isEqualTo(
            "00000000070000000000000000000000" // ifinfomsg, index 7
                + "14001600" // IFLA_VFINFO_LIST, 20 bytes
                + "10000100" // IFLA_VF_INFO, 16 bytes
                + "0c000900" // IFLA_VF_TRUST, struct ifla_vf_trust
                + "00000000" // vf 0
                + "01000000"); // setting on
  }

  @Test
  void severalVfsAreTheirNestsInOneList() {
    VfConfig full = everySetting();
    VfConfig trust = VfConfig.forVf(VfIndex.of(0)).trust(true).build();
    MessageWriter w = new MessageWriter();
    RtnlRequests.setVfs(w, 1, List.of(full, trust));
    byte[] ours = bytes(w);
    // iproute2's single-VF list: ifinfomsg (16 bytes), IFLA_VFINFO_LIST header, one IFLA_VF_INFO
    byte[] iproute2 = Captured.hex("vf-set.request.hex");
    byte[] fullNest = Arrays.copyOfRange(iproute2, 16 + 16 + 4, iproute2.length);
    String trustNest =
        "10000100" // IFLA_VF_INFO, 16 bytes
            + "0c000900" // IFLA_VF_TRUST, struct ifla_vf_trust
            + "00000000" // vf 0
            + "01000000"; // setting on
    int listLength = 4 + fullNest.length + 16;
    assertThat(ours.length).isEqualTo(16 + 16 + listLength);
    assertThat(ours[4]).isEqualTo((byte) Rtnetlink.RTM_SETLINK);
    assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(ours, 16, ours.length)))
        .isEqualTo(
            HexFormat.of().formatHex(Arrays.copyOfRange(iproute2, 16, 32)) // ifinfomsg, index 1
                + String.format("%02x%02x1600", listLength & 0xff, listLength >> 8)
                + HexFormat.of().formatHex(fullNest)
                + trustNest);
  }

  @Test
  void badVfListsAreRefusedBeforeAnyByteIsWritten() {
    VfConfig vf0 = VfConfig.forVf(VfIndex.of(0)).trust(true).build();
    assertThatThrownBy(() -> RtnlRequests.setVfs(new MessageWriter(), 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no VF to set");
    assertThatThrownBy(() -> RtnlRequests.setVfs(new MessageWriter(), 1, List.of(vf0, vf0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VF 0 named twice in one request");
    List<VfConfig> many = vfs(RtnlRequests.MAX_VFS_PER_REQUEST + 1);
    assertThatThrownBy(() -> RtnlRequests.setVfs(new MessageWriter(), 1, many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("65 VFs in one request: at most 64");
    assertThatThrownBy(() -> RtnlRequests.vfBatches(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no VF to set");
  }

  @Test
  void longVfListsAreSplitInOrder() {
    List<VfConfig> all = vfs(130);
    List<List<VfConfig>> batches = RtnlRequests.vfBatches(all);
    assertThat(batches).extracting(List::size).containsExactly(64, 64, 2);
    assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(all);
    assertThat(RtnlRequests.setVfsOperation(7, batches.get(1)))
        .isEqualTo("RTM_SETLINK PF ifindex 7 vfs 64-127");
    assertThat(RtnlRequests.setVfsOperation(7, List.of(all.get(5), all.get(2), all.get(3))))
        .isEqualTo("RTM_SETLINK PF ifindex 7 vfs 5,2-3");
    assertThat(RtnlRequests.setVfsOperation(7, List.of(all.get(5))))
        .isEqualTo("RTM_SETLINK PF ifindex 7 vf 5");
  }

  /** The arguments of the captured {@code ip link set dev lo vf 3 ...}. */
  private static VfConfig everySetting() {
    return VfConfig.forVf(VfIndex.of(3))
        .mac(MacAddress.parse("02:11:22:33:44:55"))
        .vlan(new VfVlan(100, 5, VlanProtocol.IEEE_802_1AD))
        .rate(10, 1000)
        .spoofCheck(false)
        .trust(true)
        .linkState(VfLinkState.DISABLE)
        .build();
  }

  private static List<VfConfig> vfs(int n) {
    List<VfConfig> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(VfConfig.forVf(VfIndex.of(i)).spoofCheck(true).build());
    }
    return out;
  }

  @Test
  void bondWithEveryOptionMatchesIproute2() {
    // ip link add bond7 type bond mode 802.3ad miimon 100 updelay 200 downdelay 300
    //   fail_over_mac active xmit_hash_policy layer3+4 all_slaves_active 1 min_links 1
    //   lacp_rate fast ad_select bandwidth tlb_dynamic_lb 0
    MessageWriter w = new MessageWriter();
    RtnlRequests.newLink(
        w,
        new LinkSpec.Bond(
            InterfaceName.of("bond7"),
            BondOptions.builder(BondMode.parse("802.3ad"))
                .miimon(100)
                .updelay(200)
                .downdelay(300)
                .failOverMac(FailOverMac.parse("active"))
                .xmitHashPolicy(XmitHashPolicy.parse("layer3+4"))
                .allSlavesActive(true)
                .minLinks(1)
                .lacpRate(LacpRate.parse("fast"))
                .adSelect(AdSelect.parse("bandwidth"))
                .tlbDynamicLb(false)
                .build()));
    byte[] ours = bytes(w);
    byte[] ip = Captured.hex("bond-add.request.hex");
    assertBodyEquals(ours, ip);
    assertThat(ours[4]).isEqualTo(ip[4]); // RTM_NEWLINK
    assertThat(ours[6] | Netlink.NLM_F_ACK).isEqualTo(ip[6]); // REQUEST|CREATE|EXCL (+ACK)
    assertThat(ours[7]).isEqualTo(ip[7]);
  }

  @Test
  void bondWithArpMonitoringMatchesIproute2() throws Exception {
    // ip link add bond8 type bond mode active-backup arp_interval 250
    //   arp_ip_target 192.0.2.1,192.0.2.2 primary lo
    MessageWriter w = new MessageWriter();
    RtnlRequests.newLink(
        w,
        new LinkSpec.Bond(
            InterfaceName.of("bond8"),
            BondOptions.builder(BondMode.ACTIVE_BACKUP)
                .arpInterval(250)
                .arpIpTarget((Inet4Address) InetAddress.getByName("192.0.2.1"))
                .arpIpTarget((Inet4Address) InetAddress.getByName("192.0.2.2"))
                .primary(1)
                .build()));
    assertBodyEquals(bytes(w), Captured.hex("bond-arp-add.request.hex"));
  }

  @Test
  void releaseFromBondIsMasterZero() {
    MessageWriter w = new MessageWriter();
    RtnlRequests.setMaster(w, 9, 0);
    assertThat(HexFormat.of().formatHex(bytes(w)))
        .isEqualTo(
            "28000000130001000000000000000000" // RTM_SETLINK, NLM_F_REQUEST
                + "00000000090000000000000000000000" // ifinfomsg index 9
                + "0800"
                + "0a00"
                + "00000000"); // IFLA_MASTER 0
  }
}
