package io.sriov.netlink.route;

import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.codec.IfLink;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A link as RTM_NEWLINK describes it ({@code ip -d link show}).
 *
 * @param index ifindex
 * @param name IFLA_IFNAME
 * @param altNames IFLA_PROP_LIST / IFLA_ALT_IFNAME
 * @param kind IFLA_INFO_KIND ({@code veth}, {@code macvlan}, {@code bond}...); empty for hardware
 * @param flags ifi_flags (IFF_*)
 * @param mac IFLA_ADDRESS when it is a 6-byte Ethernet address
 * @param permanentMac IFLA_PERM_ADDRESS
 * @param master IFLA_MASTER (bond or bridge this link is enslaved to)
 * @param parent IFLA_LINK (veth peer, macvlan lower device), possibly in another namespace
 * @param linkNetnsId IFLA_LINK_NETNSID: the namespace of {@code parent}, when not this one
 * @param numVfs IFLA_NUM_VF (only reported when VF info was requested)
 * @param vfs IFLA_VFINFO_LIST, empty unless requested
 * @param bond a bond's options as the kernel reports them in IFLA_INFO_DATA ({@code ip -d link
 *     show}: every option, defaults included; {@code primary} only when one is set)
 * @param stats IFLA_STATS64, the link's own counters ({@code ip -s link show}); the kernel sends
 *     them with every RTM_NEWLINK (RTEXT_FILTER_SKIP_STATS drops only the per-VF ones)
 * @param type ifi_type, the ARPHRD_* hardware type (sysfs {@code type}: 1 Ethernet, 32 InfiniBand)
 * @param addressLength the length of IFLA_ADDRESS (the netdev's addr_len: 6 Ethernet, 20
 *     InfiniBand); 0 when the link has none (the kernel then sends no IFLA_ADDRESS)
 */
public record Link(
    int index,
    InterfaceName name,
    List<String> altNames,
    Optional<String> kind,
    int flags,
    OperState operState,
    boolean carrier,
    int mtu,
    Optional<MacAddress> mac,
    Optional<MacAddress> permanentMac,
    OptionalInt master,
    OptionalInt parent,
    OptionalInt linkNetnsId,
    OptionalInt numVfs,
    List<VfInfo> vfs,
    Optional<String> parentDeviceName,
    Optional<String> parentBusName,
    Optional<BondOptions> bond,
    Optional<LinkStats> stats,
    int type,
    int addressLength) {

  /** ARPHRD_ETHER, the {@code type} of Ethernet links. */
  public static final int ARPHRD_ETHER = 1;

  /** The length of an Ethernet address (ETH_ALEN). */
  public static final int ETH_ALEN = 6;

  /** The length of an InfiniBand hardware address (INFINIBAND_ALEN). */
  public static final int INFINIBAND_ALEN = 20;

  public Link {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stats, "stats");
    altNames = List.copyOf(altNames);
    vfs = List.copyOf(vfs);
  }

  /**
   * This link with {@code names} as its altnames: what a read would give after the caller added or
   * removed altnames and nothing else (saves that read).
   */
  public Link withAltNames(List<String> names) {
    return new Link(
        index,
        name,
        names,
        kind,
        flags,
        operState,
        carrier,
        mtu,
        mac,
        permanentMac,
        master,
        parent,
        linkNetnsId,
        numVfs,
        vfs,
        parentDeviceName,
        parentBusName,
        bond,
        stats,
        type,
        addressLength);
  }

  /**
   * The link as sysfs describes it under {@code /sys/class/net/<name>} ({@code mtu}, {@code type},
   * {@code address}, {@code operstate}, {@code carrier}), with its altnames: the same facts, read
   * from this one message. Carrier as the discovery reads it from sysfs ({@link OperState#carrier}:
   * IFLA_CARRIER only where the oper state does not tell). Speed and the port attributes are not in
   * the message (empty). Empty when the address is neither absent, Ethernet nor InfiniBand: sysfs's
   * reader refuses such an address, so its files decide.
   */
  public Optional<NetInterface> netInterface() {
    if (addressLength != 0 && addressLength != ETH_ALEN && addressLength != INFINIBAND_ALEN) {
      return Optional.empty();
    }
    return Optional.of(
        new NetInterface(
            name,
            altNames,
            addressLength == ETH_ALEN ? mac : Optional.empty(),
            mtu,
            LinkType.fromArphrd(type),
            operState,
            operState.carrier(() -> carrier),
            OptionalInt.empty(),
            Optional.empty(),
            Optional.empty()));
  }

  /** IFF_UP: administratively up ({@code ip link set dev X up}). */
  public boolean isUp() {
    return (flags & IfLink.IFF_UP) != 0;
  }

  /** IFF_LOWER_UP: the driver reports carrier. */
  public boolean isLowerUp() {
    return (flags & IfLink.IFF_LOWER_UP) != 0;
  }
}
