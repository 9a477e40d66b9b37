package io.sriov.netlink.codec;

/** Constants of include/uapi/linux/genetlink.h, spelled as the kernel spells them. */
public final class Genetlink {
  private Genetlink() {}

  public static final int GENL_ID_CTRL = 0x10;
  public static final int CTRL_CMD_NEWFAMILY = 1;
  public static final int CTRL_CMD_GETFAMILY = 3;
  public static final int CTRL_ATTR_FAMILY_ID = 1;
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  public static final int CTRL_ATTR_VERSION = 3;
  public static final int CTRL_ATTR_HDRSIZE = 4;
  public static final int CTRL_ATTR_MAXATTR = 5;
  public static final int CTRL_ATTR_MCAST_GROUPS = 7;
}
