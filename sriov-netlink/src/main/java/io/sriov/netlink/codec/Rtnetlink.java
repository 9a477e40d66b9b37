package io.sriov.netlink.codec;

/** Constants of include/uapi/linux/rtnetlink.h, spelled as the kernel spells them. */
public final class Rtnetlink {
  private Rtnetlink() {}

  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWLINKPROP = 108;
  public static final int RTM_DELLINKPROP = 109;

  // IFLA_EXT_MASK bits
  public static final int RTEXT_FILTER_VF = 1 << 0;
  public static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

  // enum rtnetlink_groups (bind with 1 << (group - 1) or NETLINK_ADD_MEMBERSHIP group)
  public static final int RTNLGRP_LINK = 1;
  public static final int RTMGRP_LINK = 1;
  public static final int RTNLGRP_IPV4_ROUTE = 7;
  public static final int RTMGRP_IPV4_ROUTE = 0x40;

  // enum rtattr_type_t
  public static final int RTA_DST = 1;
  public static final int RTA_SRC = 2;
  public static final int RTA_IIF = 3;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_PRIORITY = 6;
  public static final int RTA_PREFSRC = 7;
  public static final int RTA_METRICS = 8;
  public static final int RTA_MULTIPATH = 9;
  public static final int RTA_CACHEINFO = 12;
  public static final int RTA_TABLE = 15;
  public static final int RTA_PREF = 20;

  // rtm_table
  public static final int RT_TABLE_UNSPEC = 0;
  public static final int RT_TABLE_MAIN = 254;
  public static final int RT_TABLE_LOCAL = 255;

  // rtm_protocol
  public static final int RTPROT_UNSPEC = 0;
  public static final int RTPROT_KERNEL = 2;
  public static final int RTPROT_BOOT = 3;
  public static final int RTPROT_STATIC = 4;

  // rtm_scope
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;
  public static final int RT_SCOPE_NOWHERE = 255;

  // rtm_type
  public static final int RTN_UNSPEC = 0;
  public static final int RTN_UNICAST = 1;
  public static final int RTN_LOCAL = 2;
}
