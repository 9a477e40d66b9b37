package io.sriov.netlink.codec;

import io.sriov.core.value.MacAddress;
import io.sriov.netlink.MalformedMessageException;

/**
 * The fixed structs inside an {@code IFLA_VF_INFO} nest ({@code include/uapi/linux/if_link.h}), one
 * small type each, written (an attribute of its own: header plus struct) and read here only. Every
 * struct starts with {@code __u32 vf}, the VF number. Fields are host byte order except {@code
 * vlan_proto}.
 */
public final class IflaVf {
  private IflaVf() {}

  /**
   * {@code IFLA_VF_MAC}.
   *
   * <pre>
   * struct ifla_vf_mac {       // 36 bytes
   *   __u32 vf;                // 0
   *   __u8  mac[32];           // 4: MAX_ADDR_LEN; an Ethernet VF uses the first 6
   * };
   * </pre>
   */
  public record Mac(int vf, MacAddress mac) {
    public static final int SIZE = 36;

    public void write(MessageWriter w) {
      int t = w.beginStruct(IfLink.IFLA_VF_MAC);
      w.u32(vf).bytes(mac.bytes()).zeros(32 - 6);
      w.endStruct(t);
    }

    public static Mac read(AttributeReader a) throws MalformedMessageException {
      return new Mac(a.structU32(0, SIZE), MacAddress.of(a.structBytes(4, 6, SIZE)));
    }
  }

  /**
   * {@code IFLA_VF_VLAN}, the single 802.1Q VLAN kernels report (and accept) alongside the list.
   *
   * <pre>
   * struct ifla_vf_vlan {      // 12 bytes
   *   __u32 vf;                // 0
   *   __u32 vlan;              // 4: 0 - 4095, 0 disables VLAN filter
   *   __u32 qos;               // 8
   * };
   * </pre>
   */
  public record Vlan(int vf, int vlan, int qos) {
    public static final int SIZE = 12;

    public void write(MessageWriter w) {
      int t = w.beginStruct(IfLink.IFLA_VF_VLAN);
      w.u32(vf).u32(vlan).u32(qos);
      w.endStruct(t);
    }

    public static Vlan read(AttributeReader a) throws MalformedMessageException {
      return new Vlan(a.structU32(0, SIZE), a.structU32(4, SIZE), a.structU32(8, SIZE));
    }
  }

  /**
   * {@code IFLA_VF_VLAN_INFO}, one entry of the {@code IFLA_VF_VLAN_LIST} nest (with the VLAN
   * protocol: 802.1Q or 802.1ad).
   *
   * <pre>
   * struct ifla_vf_vlan_info { // 16 bytes
   *   __u32  vf;               // 0
   *   __u32  vlan;             // 4
   *   __u32  qos;              // 8
   *   __be16 vlan_proto;       // 12: ETH_P_8021Q 0x8100 or ETH_P_8021AD 0x88a8, big-endian
   * };                         // 14: 2 bytes of padding
   * </pre>
   */
  public record VlanInfo(int vf, int vlan, int qos, int proto) {
    public static final int SIZE = 16;

    /** The {@code IFLA_VF_VLAN_LIST} nest holding this one entry, as iproute2 sends it. */
    public void writeAsList(MessageWriter w) {
      int list = w.beginNested(IfLink.IFLA_VF_VLAN_LIST);
      int t = w.beginStruct(IfLink.IFLA_VF_VLAN_INFO);
      w.u32(vf).u32(vlan).u32(qos).u8(proto >> 8).u8(proto & 0xff).zeros(2);
      w.endStruct(t);
      w.endNested(list);
    }

    public static VlanInfo read(AttributeReader a) throws MalformedMessageException {
      return new VlanInfo(
          a.structU32(0, SIZE), a.structU32(4, SIZE), a.structU32(8, SIZE), a.structBe16(12, SIZE));
    }
  }

  /**
   * {@code IFLA_VF_TX_RATE}, the legacy maximum rate (kernels report it next to {@code
   * IFLA_VF_RATE}).
   *
   * <pre>
   * struct ifla_vf_tx_rate {   // 8 bytes
   *   __u32 vf;                // 0
   *   __u32 rate;              // 4: Mbit/s, 0 = unlimited
   * };
   * </pre>
   */
  public record TxRate(int vf, int rate) {
    public static final int SIZE = 8;

    public void write(MessageWriter w) {
      int t = w.beginStruct(IfLink.IFLA_VF_TX_RATE);
      w.u32(vf).u32(rate);
      w.endStruct(t);
    }

    public static TxRate read(AttributeReader a) throws MalformedMessageException {
      return new TxRate(a.structU32(0, SIZE), a.structU32(4, SIZE));
    }
  }

  /**
   * {@code IFLA_VF_RATE}.
   *
   * <pre>
   * struct ifla_vf_rate {      // 12 bytes
   *   __u32 vf;                // 0
   *   __u32 min_tx_rate;       // 4: Mbit/s
   *   __u32 max_tx_rate;       // 8: Mbit/s, 0 = unlimited
   * };
   * </pre>
   */
  public record Rate(int vf, int minTxRate, int maxTxRate) {
    public static final int SIZE = 12;

    public void write(MessageWriter w) {
      int t = w.beginStruct(IfLink.IFLA_VF_RATE);
      w.u32(vf).u32(minTxRate).u32(maxTxRate);
      w.endStruct(t);
    }

    public static Rate read(AttributeReader a) throws MalformedMessageException {
      return new Rate(a.structU32(0, SIZE), a.structU32(4, SIZE), a.structU32(8, SIZE));
    }
  }

  /**
   * {@code IFLA_VF_SPOOFCHK}, {@code IFLA_VF_TRUST}, {@code IFLA_VF_LINK_STATE} and {@code
   * IFLA_VF_RSS_QUERY_EN}: four kernel structs with one layout, so one type, told apart by the
   * attribute {@code type}.
   *
   * <pre>
   * struct ifla_vf_spoofchk   { __u32 vf; __u32 setting; };   // 8 bytes: 0 off, 1 on
   * struct ifla_vf_trust      { __u32 vf; __u32 setting; };   //          0 off, 1 on
   * struct ifla_vf_link_state { __u32 vf; __u32 link_state; }; //         IFLA_VF_LINK_STATE_*
   * struct ifla_vf_rss_query_en { __u32 vf; __u32 setting; };
   * // reported as 0xffffffff (-1) by drivers that do not implement the setting
   * </pre>
   */
  public record Setting(int type, int vf, int setting) {
    public static final int SIZE = 8;

    public void write(MessageWriter w) {
      int t = w.beginStruct(type);
      w.u32(vf).u32(setting);
      w.endStruct(t);
    }

    public static Setting read(AttributeReader a) throws MalformedMessageException {
      return new Setting(a.type(), a.structU32(0, SIZE), a.structU32(4, SIZE));
    }
  }
}
