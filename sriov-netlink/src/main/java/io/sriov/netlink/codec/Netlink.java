package io.sriov.netlink.codec;

/** Constants of include/uapi/linux/netlink.h, spelled as the kernel spells them. */
public final class Netlink {
  private Netlink() {}

  public static final int NETLINK_ROUTE = 0;
  public static final int NETLINK_KOBJECT_UEVENT = 15;
  public static final int NETLINK_GENERIC = 16;

  // Socket options at SOL_NETLINK.
  public static final int SOL_NETLINK = 270;
  public static final int NETLINK_ADD_MEMBERSHIP = 1;
  public static final int NETLINK_CAP_ACK = 10;
  public static final int NETLINK_EXT_ACK = 11;
  public static final int NETLINK_GET_STRICT_CHK = 12;

  // nlmsg_flags
  public static final int NLM_F_REQUEST = 0x1;
  public static final int NLM_F_MULTI = 0x2;
  public static final int NLM_F_ACK = 0x4;
  public static final int NLM_F_ECHO = 0x8;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_DUMP_FILTERED = 0x20;
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;
  public static final int NLM_F_APPEND = 0x800;
  // Flags on NLMSG_ERROR acks.
  public static final int NLM_F_CAPPED = 0x100;
  public static final int NLM_F_ACK_TLVS = 0x200;

  // nlmsg_type
  public static final int NLMSG_NOOP = 1;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int NLMSG_OVERRUN = 4;
  public static final int NLMSG_MIN_TYPE = 0x10;

  // enum nlmsgerr_attrs
  public static final int NLMSGERR_ATTR_MSG = 1;
  public static final int NLMSGERR_ATTR_OFFS = 2;

  // struct nlattr nla_type flags
  public static final int NLA_F_NESTED = 1 << 15;
  public static final int NLA_F_NET_BYTEORDER = 1 << 14;
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  public static final int NLA_HDRLEN = 4;
  public static final int NLMSG_HDRLEN = 16;

  /** NLA_ALIGN / NLMSG_ALIGN: round up to a multiple of 4. */
  public static int align(int len) {
    return (len + 3) & ~3;
  }
}
