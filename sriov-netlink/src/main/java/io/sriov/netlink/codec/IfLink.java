package io.sriov.netlink.codec;

/**
 * Constants of include/uapi/linux/if_link.h (plus IFF_* of if.h and VETH_INFO_PEER of veth.h),
 * spelled as the kernel spells them. Values checked against the headers of this machine by {@code
 * src/test/c/constants.c}.
 */
public final class IfLink {
  private IfLink() {}

  // net_device_flags (if.h)
  public static final int IFF_UP = 0x1;
  public static final int IFF_BROADCAST = 0x2;
  public static final int IFF_LOOPBACK = 0x8;
  public static final int IFF_RUNNING = 0x40;
  public static final int IFF_NOARP = 0x80;
  public static final int IFF_PROMISC = 0x100;
  public static final int IFF_MULTICAST = 0x1000;
  public static final int IFF_LOWER_UP = 0x10000;

  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_BROADCAST = 2;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_TXQLEN = 13;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_LINKMODE = 17;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_NET_NS_PID = 19;
  public static final int IFLA_IFALIAS = 20;
  public static final int IFLA_NUM_VF = 21;
  public static final int IFLA_VFINFO_LIST = 22;
  public static final int IFLA_STATS64 = 23;
  public static final int IFLA_AF_SPEC = 26;
  public static final int IFLA_GROUP = 27;
  public static final int IFLA_NET_NS_FD = 28;
  public static final int IFLA_EXT_MASK = 29;
  public static final int IFLA_CARRIER = 33;
  public static final int IFLA_PHYS_SWITCH_ID = 36;
  public static final int IFLA_LINK_NETNSID = 37;
  public static final int IFLA_PHYS_PORT_NAME = 38;

  /**
   * In the RTM_DELLINK a link's old namespace gets when the link moves to another one: the new
   * namespace's id as seen from the old one (kernel 4.16+).
   */
  public static final int IFLA_NEW_NETNSID = 45;

  public static final int IFLA_MIN_MTU = 50;
  public static final int IFLA_MAX_MTU = 51;
  public static final int IFLA_PROP_LIST = 52;
  public static final int IFLA_ALT_IFNAME = 53;
  public static final int IFLA_PERM_ADDRESS = 54;
  public static final int IFLA_PARENT_DEV_NAME = 56;
  public static final int IFLA_PARENT_DEV_BUS_NAME = 57;

  // IFLA_LINKINFO nest
  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;
  public static final int IFLA_INFO_SLAVE_KIND = 4;
  public static final int IFLA_INFO_SLAVE_DATA = 5;

  // veth.h
  public static final int VETH_INFO_PEER = 1;

  // macvlan
  public static final int IFLA_MACVLAN_MODE = 1;
  public static final int MACVLAN_MODE_PRIVATE = 1;
  public static final int MACVLAN_MODE_VEPA = 2;
  public static final int MACVLAN_MODE_BRIDGE = 4;
  public static final int MACVLAN_MODE_PASSTHRU = 8;
  public static final int MACVLAN_MODE_SOURCE = 16;

  // IFLA_VFINFO_LIST nest
  public static final int IFLA_VF_INFO = 1;
  public static final int IFLA_VF_MAC = 1;
  public static final int IFLA_VF_VLAN = 2;
  public static final int IFLA_VF_TX_RATE = 3;
  public static final int IFLA_VF_SPOOFCHK = 4;
  public static final int IFLA_VF_LINK_STATE = 5;
  public static final int IFLA_VF_RATE = 6;
  public static final int IFLA_VF_RSS_QUERY_EN = 7;
  public static final int IFLA_VF_STATS = 8;
  public static final int IFLA_VF_TRUST = 9;
  public static final int IFLA_VF_IB_NODE_GUID = 10;
  public static final int IFLA_VF_IB_PORT_GUID = 11;
  public static final int IFLA_VF_VLAN_LIST = 12;
  public static final int IFLA_VF_BROADCAST = 13;
  public static final int IFLA_VF_VLAN_INFO = 1;

  public static final int IFLA_VF_LINK_STATE_AUTO = 0;
  public static final int IFLA_VF_LINK_STATE_ENABLE = 1;
  public static final int IFLA_VF_LINK_STATE_DISABLE = 2;

  public static final int IFLA_VF_STATS_RX_PACKETS = 0;
  public static final int IFLA_VF_STATS_TX_PACKETS = 1;
  public static final int IFLA_VF_STATS_RX_BYTES = 2;
  public static final int IFLA_VF_STATS_TX_BYTES = 3;
  public static final int IFLA_VF_STATS_BROADCAST = 4;
  public static final int IFLA_VF_STATS_MULTICAST = 5;
  public static final int IFLA_VF_STATS_RX_DROPPED = 7;
  public static final int IFLA_VF_STATS_TX_DROPPED = 8;

  // bonding
  public static final int IFLA_BOND_MODE = 1;
  public static final int IFLA_BOND_ACTIVE_SLAVE = 2;
  public static final int IFLA_BOND_MIIMON = 3;
  public static final int IFLA_BOND_UPDELAY = 4;
  public static final int IFLA_BOND_DOWNDELAY = 5;
  public static final int IFLA_BOND_USE_CARRIER = 6;
  public static final int IFLA_BOND_ARP_INTERVAL = 7;
  public static final int IFLA_BOND_ARP_IP_TARGET = 8;
  public static final int IFLA_BOND_ARP_VALIDATE = 9;
  public static final int IFLA_BOND_ARP_ALL_TARGETS = 10;
  public static final int IFLA_BOND_PRIMARY = 11;
  public static final int IFLA_BOND_PRIMARY_RESELECT = 12;
  public static final int IFLA_BOND_FAIL_OVER_MAC = 13;
  public static final int IFLA_BOND_XMIT_HASH_POLICY = 14;
  public static final int IFLA_BOND_RESEND_IGMP = 15;
  public static final int IFLA_BOND_NUM_PEER_NOTIF = 16;
  public static final int IFLA_BOND_ALL_SLAVES_ACTIVE = 17;
  public static final int IFLA_BOND_MIN_LINKS = 18;
  public static final int IFLA_BOND_LP_INTERVAL = 19;
  public static final int IFLA_BOND_PACKETS_PER_SLAVE = 20;
  public static final int IFLA_BOND_AD_LACP_RATE = 21;
  public static final int IFLA_BOND_AD_SELECT = 22;
  public static final int IFLA_BOND_TLB_DYNAMIC_LB = 27;
}
