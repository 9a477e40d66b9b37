package io.sriov.netlink.route;

/** IFLA_VF_STATS: per-VF counters as seen by the PF ({@code ip -s link show <pf>}). */
public record VfStats(
    long rxPackets,
    long txPackets,
    long rxBytes,
    long txBytes,
    long broadcast,
    long multicast,
    long rxDropped,
    long txDropped) {}
