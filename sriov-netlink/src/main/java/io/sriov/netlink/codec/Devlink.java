package io.sriov.netlink.codec;

/** Constants of include/uapi/linux/devlink.h, spelled as the kernel spells them. */
public final class Devlink {
  private Devlink() {}

  public static final String DEVLINK_GENL_NAME = "devlink";
  public static final int DEVLINK_GENL_VERSION = 1;

  public static final int DEVLINK_CMD_GET = 1;
  public static final int DEVLINK_CMD_ESWITCH_GET = 29;
  public static final int DEVLINK_CMD_ESWITCH_SET = 30;
  public static final int DEVLINK_CMD_PARAM_GET = 38;
  public static final int DEVLINK_CMD_INFO_GET = 51;

  public static final int DEVLINK_ATTR_BUS_NAME = 1;
  public static final int DEVLINK_ATTR_DEV_NAME = 2;
  public static final int DEVLINK_ATTR_ESWITCH_MODE = 25;
  public static final int DEVLINK_ATTR_ESWITCH_INLINE_MODE = 26;
  public static final int DEVLINK_ATTR_ESWITCH_ENCAP_MODE = 62;
  public static final int DEVLINK_ATTR_PARAM = 80;
  public static final int DEVLINK_ATTR_PARAM_NAME = 81;
  public static final int DEVLINK_ATTR_PARAM_GENERIC = 82;
  public static final int DEVLINK_ATTR_PARAM_TYPE = 83;
  public static final int DEVLINK_ATTR_PARAM_VALUES_LIST = 84;
  public static final int DEVLINK_ATTR_PARAM_VALUE = 85;
  public static final int DEVLINK_ATTR_PARAM_VALUE_DATA = 86;
  public static final int DEVLINK_ATTR_PARAM_VALUE_CMODE = 87;
  public static final int DEVLINK_ATTR_INFO_DRIVER_NAME = 98;
  public static final int DEVLINK_ATTR_INFO_SERIAL_NUMBER = 99;
  public static final int DEVLINK_ATTR_INFO_VERSION_FIXED = 100;
  public static final int DEVLINK_ATTR_INFO_VERSION_RUNNING = 101;
  public static final int DEVLINK_ATTR_INFO_VERSION_STORED = 102;
  public static final int DEVLINK_ATTR_INFO_VERSION_NAME = 103;
  public static final int DEVLINK_ATTR_INFO_VERSION_VALUE = 104;

  /**
   * DEVLINK_ATTR_PARAM_TYPE of a bool param: the kernel sends the netlink type, NLA_FLAG (its value
   * then is the presence of DEVLINK_ATTR_PARAM_VALUE_DATA).
   */
  public static final int NLA_FLAG = 6;

  public static final int DEVLINK_ESWITCH_MODE_LEGACY = 0;
  public static final int DEVLINK_ESWITCH_MODE_SWITCHDEV = 1;
}
