package io.sriov.netlink.route;

import static io.sriov.netlink.codec.IfLink.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.MacAddress;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.IfInfoMsg;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Rtnetlink;
import org.junit.jupiter.api.Test;

/**
 * VF info decoding on an RTM_NEWLINK laid out as rtnl_fill_vfinfo() writes it (this machine has no
 * SR-IOV PF to capture from; the VM suite checks the real igb driver).
 */
class VfDecodeTest {

  private static void vf(
      MessageWriter w,
      int vf,
      String mac,
      int vlan,
      int qos,
      int spoof,
      int trust,
      int state,
      boolean stats) {
    int info = w.beginNested(IFLA_VF_INFO);
    int t = w.beginStruct(IFLA_VF_MAC);
    w.u32(vf).bytes(MacAddress.parse(mac).bytes()).zeros(26);
    w.endStruct(t);
    t = w.beginStruct(IFLA_VF_VLAN);
    w.u32(vf).u32(vlan).u32(qos);
    w.endStruct(t);
    int list = w.beginNested(IFLA_VF_VLAN_LIST);
    t = w.beginStruct(IFLA_VF_VLAN_INFO);
    w.u32(vf).u32(vlan).u32(qos).u8(0x81).u8(0x00).zeros(2);
    w.endStruct(t);
    w.endNested(list);
    t = w.beginStruct(IFLA_VF_TX_RATE);
    w.u32(vf).u32(500);
    w.endStruct(t);
    t = w.beginStruct(IFLA_VF_RATE);
    w.u32(vf).u32(100).u32(500);
    w.endStruct(t);
    t = w.beginStruct(IFLA_VF_SPOOFCHK);
    w.u32(vf).u32(spoof);
    w.endStruct(t);
    t = w.beginStruct(IFLA_VF_LINK_STATE);
    w.u32(vf).u32(state);
    w.endStruct(t);
    t = w.beginStruct(IFLA_VF_TRUST);
    w.u32(vf).u32(trust);
    w.endStruct(t);
    if (stats) {
      int s = w.beginNested(IFLA_VF_STATS);
      w.attrU64(IFLA_VF_STATS_RX_PACKETS, 11).attrU64(IFLA_VF_STATS_TX_PACKETS, 12);
      w.attrU64(IFLA_VF_STATS_RX_BYTES, 13).attrU64(IFLA_VF_STATS_TX_BYTES, 14);
      w.attrU64(IFLA_VF_STATS_BROADCAST, 15).attrU64(IFLA_VF_STATS_MULTICAST, 16);
      w.attrU64(IFLA_VF_STATS_RX_DROPPED, 17).attrU64(IFLA_VF_STATS_TX_DROPPED, 18);
      w.endNested(s);
    }
    w.endNested(info);
  }

  private static MessageReader pf(int numVfs, boolean stats) throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(Rtnetlink.RTM_NEWLINK, 0);
    new IfInfoMsg(0, 1, 4, 0, 0).write(w);
    w.attrString(IFLA_IFNAME, "ens1f0");
    w.attrU32(IFLA_NUM_VF, numVfs);
    int list = w.beginNested(IFLA_VFINFO_LIST);
    for (int i = 0; i < numVfs; i++) {
      vf(
          w,
          i,
          String.format("02:00:00:00:%02x:%02x", i >> 8, i & 0xff),
          i == 0 ? 0 : 100,
          i == 0 ? 0 : 3,
          i == 1 ? -1 : 1,
          0,
          i == 2 ? 2 : 0,
          stats);
    }
    w.endNested(list);
    MessageReader m = new MessageReader(w.finish(1));
    m.next();
    return m;
  }

  @Test
  void decodesEveryVfOfAPfWith256Vfs() throws Exception {
    MessageReader m = pf(256, false);
    // ~148 bytes per VF without stats: more than the socket's initial 32 KiB receive buffer, which
    // grows (MSG_PEEK|MSG_TRUNC sizing) to read it whole
    assertThat(m.length()).isGreaterThan(32 * 1024);
    Link l = RtnlDecoders.link(m);
    assertThat(l.numVfs()).hasValue(256);
    assertThat(l.vfs()).hasSize(256);
    VfInfo v1 = l.vfs().get(1);
    assertThat(v1.vf().value()).isEqualTo(1);
    assertThat(v1.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
    assertThat(v1.vlans()).containsExactly(new VfVlan(100, 3, VlanProtocol.IEEE_802_1Q));
    assertThat(v1.minTxRateMbps()).isEqualTo(100);
    assertThat(v1.maxTxRateMbps()).isEqualTo(500);
    assertThat(v1.spoofCheck()).as("-1 = not reported by the driver").isEmpty();
    assertThat(v1.trust()).contains(false);
    assertThat(l.vfs().get(0).spoofCheck()).contains(true);
    assertThat(l.vfs().get(2).linkState()).isEqualTo(VfLinkState.DISABLE);
    assertThat(l.vfs().get(255).mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:ff"));
    assertThat(v1.stats()).isEmpty();
  }

  @Test
  void decodesStatsWhenPresent() throws Exception {
    VfInfo v = RtnlDecoders.link(pf(1, true)).vfs().getFirst();
    assertThat(v.stats()).contains(new VfStats(11, 12, 13, 14, 15, 16, 17, 18));
  }

  @Test
  void truncatedVfMacStructIsMalformed() throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(Rtnetlink.RTM_NEWLINK, 0);
    new IfInfoMsg(0, 1, 4, 0, 0).write(w);
    w.attrString(IFLA_IFNAME, "ens1f0");
    int list = w.beginNested(IFLA_VFINFO_LIST);
    int info = w.beginNested(IFLA_VF_INFO);
    w.attrU32(IFLA_VF_MAC, 0);
    w.endNested(info);
    w.endNested(list);
    MessageReader m = new MessageReader(w.finish(1));
    m.next();
    assertThatThrownBy(() -> RtnlDecoders.link(m))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: attribute type 1 at offset 52: expected a at least 36-byte"
                + " payload, got 4 bytes");
  }
}
