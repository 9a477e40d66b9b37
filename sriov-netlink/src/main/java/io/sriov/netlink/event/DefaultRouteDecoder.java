package io.sriov.netlink.event;

import io.sriov.core.port.DefaultRouteEvent;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.route.Route;
import io.sriov.netlink.route.RtnlDecoders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the IPv4 default-route changes of the main table out of an RTNLGRP_IPV4_ROUTE datagram.
 * Each RTM_NEWROUTE / RTM_DELROUTE is decoded with {@link RtnlDecoders#routeNotification} (the
 * decoder of route dumps) and kept when it is IPv4, {@code rtm_dst_len} 0 and table main
 * (RTA_TABLE, else {@code rtm_table}) - the routes {@code NetlinkDefaultRouteLinks} looks at.
 * Everything else (other prefixes, the local table's host and broadcast routes, other message
 * types) is dropped.
 */
public final class DefaultRouteDecoder {
  private DefaultRouteDecoder() {}

  /**
   * The default-route changes in {@code datagram}, in kernel order; empty when there are none.
   *
   * @throws MalformedMessageException when a header or a route notification does not decode
   */
  public static List<DefaultRouteEvent> decode(ByteBuffer datagram)
      throws MalformedMessageException {
    List<DefaultRouteEvent> out = new ArrayList<>(1);
    MessageReader m = new MessageReader(datagram);
    while (m.next()) {
      Route r = RtnlDecoders.routeNotification(m);
      if (r != null
          && r.isDefault()
          && r.destination().isIpv4()
          && r.table() == Rtnetlink.RT_TABLE_MAIN) {
        out.add(
            new DefaultRouteEvent(
                m.type() == Rtnetlink.RTM_DELROUTE
                    ? DefaultRouteEvent.Kind.REMOVED
                    : DefaultRouteEvent.Kind.ADDED,
                r.outputIndexes()));
      }
    }
    return out;
  }
}
