package io.sriov.netlink.route;

import java.util.Locale;

/** The VLAN tag protocol (ETH_P_8021Q / ETH_P_8021AD). */
public enum VlanProtocol {
  IEEE_802_1Q(0x8100, "802.1Q"),
  IEEE_802_1AD(0x88a8, "802.1ad");

  private final int ethertype;
  private final String label;

  VlanProtocol(int ethertype, String label) {
    this.ethertype = ethertype;
    this.label = label;
  }

  public int ethertype() {
    return ethertype;
  }

  /** Parses {@code 802.1Q} / {@code 802.1ad} in any case (the sriov-cni {@code vlanProto}). */
  public static VlanProtocol parse(String s) {
    if (s != null) {
      for (VlanProtocol p : values()) {
        if (p.label.toLowerCase(Locale.ROOT).equals(s.strip().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("VLAN protocol \"" + s + "\": expected 802.1Q or 802.1ad");
  }

  /** The protocol for an ethertype; throws for anything but 0x8100 and 0x88a8. */
  public static VlanProtocol fromEthertype(int ethertype) {
    for (VlanProtocol p : values()) {
      if (p.ethertype == ethertype) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown VLAN ethertype 0x" + Integer.toHexString(ethertype));
  }

  @Override
  public String toString() {
    return label;
  }
}
