package io.sriov.netlink.route;

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
    Optional<LinkStats> stats) {

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
        stats);
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
