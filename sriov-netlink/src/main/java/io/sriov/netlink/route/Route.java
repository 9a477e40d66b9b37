package io.sriov.netlink.route;

import io.sriov.core.value.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route (RTM_NEWROUTE; {@code ip route show table all}).
 *
 * @param destination RTA_DST with rtm_dst_len; {@code 0.0.0.0/0} or {@code ::/0} for the default
 * @param gateway RTA_GATEWAY
 * @param outputIndex RTA_OIF
 * @param table RTA_TABLE (or rtm_table)
 * @param protocol rtm_protocol (RTPROT_*)
 * @param scope rtm_scope (RT_SCOPE_*)
 * @param type rtm_type (RTN_*)
 * @param priority RTA_PRIORITY (the metric)
 * @param preferredSource RTA_PREFSRC
 * @param nexthops RTA_MULTIPATH ({@code ip route add ... nexthop via A dev X nexthop via B dev Y});
 *     empty for a single-path route
 */
public record Route(
    IpPrefix destination,
    Optional<InetAddress> gateway,
    OptionalInt outputIndex,
    int table,
    int protocol,
    int scope,
    int type,
    OptionalInt priority,
    Optional<InetAddress> preferredSource,
    List<Nexthop> nexthops) {

  public Route {
    Objects.requireNonNull(destination, "destination");
    nexthops = List.copyOf(nexthops);
  }

  /** A single-path route (no RTA_MULTIPATH). */
  public Route(
      IpPrefix destination,
      Optional<InetAddress> gateway,
      OptionalInt outputIndex,
      int table,
      int protocol,
      int scope,
      int type,
      OptionalInt priority,
      Optional<InetAddress> preferredSource) {
    this(
        destination,
        gateway,
        outputIndex,
        table,
        protocol,
        scope,
        type,
        priority,
        preferredSource,
        List.of());
  }

  /**
   * One path of a multipath route.
   *
   * <pre>
   * struct rtnexthop {          // 8 bytes, then RTA_* attributes up to rtnh_len
   *   unsigned short rtnh_len;  // header + attributes
   *   unsigned char  rtnh_flags;
   *   unsigned char  rtnh_hops; // weight - 1
   *   int            rtnh_ifindex;
   * };
   * </pre>
   *
   * @param outputIndex rtnh_ifindex (0 when none)
   * @param gateway the nexthop's RTA_GATEWAY
   */
  public record Nexthop(int outputIndex, Optional<InetAddress> gateway) {}

  public boolean isDefault() {
    return destination.length() == 0;
  }

  /** The ifindexes this route leaves through: RTA_OIF and every nexthop's, in order, no zero. */
  public List<Integer> outputIndexes() {
    List<Integer> out = new ArrayList<>(1 + nexthops.size());
    outputIndex.ifPresent(out::add);
    for (Nexthop n : nexthops) {
      if (n.outputIndex() > 0 && !out.contains(n.outputIndex())) {
        out.add(n.outputIndex());
      }
    }
    return out;
  }
}
