package io.sriov.core.device;

import java.util.Locale;

/**
 * A netdev's link (encapsulation) type, named as netlink/iproute2 name it and as upstream's {@code
 * linkTypes} selector compares it: {@code ether}, {@code infiniband}, ... Open: an ARPHRD number
 * the project does not know keeps its number as its name.
 */
public record LinkType(String name) {
  public static final LinkType ETHER = new LinkType("ether");
  public static final LinkType INFINIBAND = new LinkType("infiniband");
  public static final LinkType LOOPBACK = new LinkType("loopback");
  public static final LinkType NONE = new LinkType("none");

  public LinkType {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("link type must not be blank");
    }
    name = name.toLowerCase(Locale.ROOT);
  }

  /** Maps {@code /sys/class/net/<if>/type} (an ARPHRD_* number) to its name. */
  public static LinkType fromArphrd(int type) {
    return switch (type) {
      case 1 -> ETHER;
      case 32 -> INFINIBAND;
      case 772 -> LOOPBACK;
      case 65534 -> NONE;
      case 768 -> new LinkType("ipip");
      case 776 -> new LinkType("sit");
      case 778 -> new LinkType("gre");
      case 823 -> new LinkType("ip6gre");
      default -> new LinkType("arphrd" + type);
    };
  }

  @Override
  public String toString() {
    return name;
  }
}
