package io.sriov.netlink.route;

import static io.sriov.netlink.codec.IfLink.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.MacAddress;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.IfInfoMsg;
import io.sriov.netlink.codec.IflaVf;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.testing.Captured;
import org.junit.jupiter.api.Test;

/**
 * VF info decoding. First on replies captured from a real kernel: the igb PF of the emulated-SR-IOV
 * guest (kernel 6.12, QEMU 82576, igbvf) with three VFs configured by iproute2 (see {@code
 * captured/getlink-igb-vfs.commands}, captured by {@code captured/capture-vfinfo.py}); the expected
 * values are those {@code ip -j -d link show} printed right after ({@code
 * captured/getlink-igb-vfs.ip.json}). Then on a PF with 256 VFs laid out as rtnl_fill_vfinfo()
 * writes it, built with the production struct writers ({@link IflaVf}), and on malformed input.
 */
class VfDecodeTest {
  private static final VfVlan NO_VLAN = new VfVlan(0, 0, VlanProtocol.IEEE_802_1Q);

  private static Link captured(String name) throws Exception {
    MessageReader m = new MessageReader(Captured.buffer(name));
    assertThat(m.next()).isTrue();
    assertThat(m.type()).isEqualTo(Rtnetlink.RTM_NEWLINK);
    return RtnlDecoders.link(m);
  }

  @Test
  void decodesTheVfsOfARealIgbPf() throws Exception {
    Link pf = captured("getlink-igb-vfs.reply.bin");
    assertThat(pf.name()).hasToString("eth0");
    assertThat(pf.index()).isEqualTo(2);
    assertThat(pf.numVfs()).hasValue(3);
    assertThat(pf.vfs()).extracting(v -> v.vf().value()).containsExactly(0, 1, 2);

    // ip link set eth0 vf 0 mac 02:11:22:33:44:55; vf 0 vlan 100 qos 3; spoofchk off; trust on
    VfInfo vf0 = pf.vfs().get(0);
    assertThat(vf0.mac()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
    assertThat(vf0.vlans()).containsExactly(new VfVlan(100, 3, VlanProtocol.IEEE_802_1Q));
    assertThat(vf0.minTxRateMbps()).isZero();
    assertThat(vf0.maxTxRateMbps()).isZero();
    assertThat(vf0.spoofCheck()).contains(false);
    assertThat(vf0.trust()).contains(true);
    assertThat(vf0.linkState()).isEqualTo(VfLinkState.AUTO);
    assertThat(vf0.stats()).as("RTEXT_FILTER_SKIP_STATS was asked").isEmpty();

    // ip link set eth0 vf 1 mac 02:11:22:33:44:66; vf 1 vlan 4094; vf 1 max_tx_rate 100
    VfInfo vf1 = pf.vfs().get(1);
    assertThat(vf1.mac()).isEqualTo(MacAddress.parse("02:11:22:33:44:66"));
    assertThat(vf1.vlans()).containsExactly(new VfVlan(4094, 0, VlanProtocol.IEEE_802_1Q));
    assertThat(vf1.minTxRateMbps()).isZero();
    assertThat(vf1.maxTxRateMbps()).isEqualTo(100);
    assertThat(vf1.spoofCheck()).contains(true);
    assertThat(vf1.trust()).contains(false);
    assertThat(vf1.linkState()).isEqualTo(VfLinkState.AUTO);

    // untouched: igb's defaults
    VfInfo vf2 = pf.vfs().get(2);
    assertThat(vf2.mac()).isEqualTo(MacAddress.ZERO);
    assertThat(vf2.vlans()).containsExactly(NO_VLAN);
    assertThat(vf2.maxTxRateMbps()).isZero();
    assertThat(vf2.spoofCheck()).contains(true);
    assertThat(vf2.trust()).contains(false);
    assertThat(vf2.linkState()).isEqualTo(VfLinkState.AUTO);
  }

  @Test
  void decodesTheStatsOfARealIgbPfWhenAskedFor() throws Exception {
    Link pf = captured("getlink-igb-vfs-stats.reply.bin");
    assertThat(pf.vfs()).hasSize(3);
    assertThat(pf.vfs()).allSatisfy(v -> assertThat(v.stats()).isPresent());
    // the same settings as without stats
    assertThat(pf.vfs().get(0).vlans())
        .containsExactly(new VfVlan(100, 3, VlanProtocol.IEEE_802_1Q));
    assertThat(pf.vfs().get(1).maxTxRateMbps()).isEqualTo(100);
  }

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
    new IflaVf.Mac(vf, MacAddress.parse(mac)).write(w);
    new IflaVf.Vlan(vf, vlan, qos).write(w);
    new IflaVf.VlanInfo(vf, vlan, qos, VlanProtocol.IEEE_802_1Q.ethertype()).writeAsList(w);
    new IflaVf.TxRate(vf, 500).write(w);
    new IflaVf.Rate(vf, 100, 500).write(w);
    new IflaVf.Setting(IFLA_VF_SPOOFCHK, vf, spoof).write(w);
    new IflaVf.Setting(IFLA_VF_LINK_STATE, vf, state).write(w);
    new IflaVf.Setting(IFLA_VF_TRUST, vf, trust).write(w);
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

  @Test
  void truncatedLinkStatsAreMalformed() throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(Rtnetlink.RTM_NEWLINK, 0);
    new IfInfoMsg(0, 1, 4, 0, 0).write(w);
    w.attrString(IFLA_IFNAME, "ens1f0");
    w.attrU64(IFLA_STATS64, 7);
    MessageReader m = new MessageReader(w.finish(1));
    m.next();
    assertThatThrownBy(() -> RtnlDecoders.link(m))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: attribute type 23 at offset 44: expected a at least 64-byte"
                + " payload, got 8 bytes");
  }
}
