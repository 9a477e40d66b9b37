package io.sriov.netlink.route;

import io.sriov.core.value.MacAddress;
import io.sriov.core.value.VfIndex;
import java.util.List;
import java.util.Optional;

/**
 * One VF as its PF reports it in IFLA_VFINFO_LIST ({@code ip link show <pf>}: the {@code vf N}
 * lines).
 *
 * @param mac IFLA_VF_MAC
 * @param vlans IFLA_VF_VLAN_LIST (empty or VLAN 0 when untagged)
 * @param minTxRateMbps IFLA_VF_RATE min_tx_rate, Mbit/s, 0 = unlimited
 * @param maxTxRateMbps IFLA_VF_RATE max_tx_rate, Mbit/s, 0 = unlimited
 * @param spoofCheck IFLA_VF_SPOOFCHK, empty when the driver does not report it
 * @param trust IFLA_VF_TRUST, empty when the driver does not report it
 * @param linkState IFLA_VF_LINK_STATE
 * @param stats IFLA_VF_STATS, only when requested
 */
public record VfInfo(
    VfIndex vf,
    MacAddress mac,
    List<VfVlan> vlans,
    int minTxRateMbps,
    int maxTxRateMbps,
    Optional<Boolean> spoofCheck,
    Optional<Boolean> trust,
    VfLinkState linkState,
    Optional<VfStats> stats) {
  public VfInfo {
    vlans = List.copyOf(vlans);
  }

  /** This VF with the admin MAC {@code mac} instead ({@code ip link set <pf> vf N mac M}). */
  public VfInfo withMac(MacAddress mac) {
    return new VfInfo(
        vf, mac, vlans, minTxRateMbps, maxTxRateMbps, spoofCheck, trust, linkState, stats);
  }
}
