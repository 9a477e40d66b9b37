package io.sriov.netlink.route;

import java.net.InetAddress;
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
    Optional<InetAddress> preferredSource) {

  public boolean isDefault() {
    return destination.length() == 0;
  }
}
