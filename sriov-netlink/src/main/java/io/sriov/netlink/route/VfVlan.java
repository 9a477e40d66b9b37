package io.sriov.netlink.route;

/**
 * A VF's port VLAN ({@code ip link set <pf> vf N vlan V qos Q proto P}).
 *
 * @param vlan 0-4095, 0 = none
 * @param qos 802.1p priority 0-7
 * @param proto the tag protocol
 */
public record VfVlan(int vlan, int qos, VlanProtocol proto) {
  public VfVlan {
    if (vlan < 0 || vlan > 4095) {
      throw new IllegalArgumentException("VLAN id out of range 0-4095: " + vlan);
    }
    if (qos < 0 || qos > 7) {
      throw new IllegalArgumentException("VLAN QoS out of range 0-7: " + qos);
    }
    if (proto == null) {
      throw new IllegalArgumentException("VLAN protocol must not be null");
    }
  }

  public static VfVlan of(int vlan, int qos) {
    return new VfVlan(vlan, qos, VlanProtocol.IEEE_802_1Q);
  }
}
