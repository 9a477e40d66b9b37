package io.sriov.netlink.route;

/**
 * IFLA_STATS64: a netdev's own traffic counters ({@code ip -s link show dev X}, {@code
 * /sys/class/net/X/statistics/}), the first eight fields of
 *
 * <pre>
 * struct rtnl_link_stats64 {
 *   __u64 rx_packets;  __u64 tx_packets;
 *   __u64 rx_bytes;    __u64 tx_bytes;
 *   __u64 rx_errors;   __u64 tx_errors;
 *   __u64 rx_dropped;  __u64 tx_dropped;
 *   __u64 multicast;   ... (23 to 25 fields, depending on the kernel)
 * };
 * </pre>
 */
public record LinkStats(
    long rxPackets,
    long txPackets,
    long rxBytes,
    long txBytes,
    long rxErrors,
    long txErrors,
    long rxDropped,
    long txDropped) {

  /** The bytes of the fields read: a shorter IFLA_STATS64 is malformed. */
  public static final int MIN_SIZE = 8 * Long.BYTES;

  public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0);
}
