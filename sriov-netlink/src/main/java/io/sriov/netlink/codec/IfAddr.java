package io.sriov.netlink.codec;

/** Constants of include/uapi/linux/if_addr.h, spelled as the kernel spells them. */
public final class IfAddr {
  private IfAddr() {}

  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;
  public static final int IFA_CACHEINFO = 6;
  public static final int IFA_FLAGS = 8;

  public static final int IFA_F_SECONDARY = 0x01;
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_PERMANENT = 0x80;
  public static final int IFA_F_NOPREFIXROUTE = 0x200;
}
