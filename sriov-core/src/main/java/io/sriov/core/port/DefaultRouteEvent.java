package io.sriov.core.port;

import java.util.List;
import java.util.Objects;

/**
 * An IPv4 default route of the main table ({@code 0.0.0.0/0}, any metric) was added, replaced or
 * deleted (RTM_NEWROUTE / RTM_DELROUTE; {@code ip -4 monitor route} showing {@code default ...}).
 * It says that the set of netdevs carrying the default route may have changed, not what that set
 * now is: subscribers re-read the routes.
 *
 * @param outputIndexes the ifindexes the route leaves through (RTA_OIF and every nexthop's); empty
 *     for a route without a device ({@code unreachable default})
 */
public record DefaultRouteEvent(Kind kind, List<Integer> outputIndexes) {

  public enum Kind {
    /** RTM_NEWROUTE: a default route was added or replaced. */
    ADDED,
    /** RTM_DELROUTE: a default route was deleted. */
    REMOVED
  }

  public DefaultRouteEvent {
    Objects.requireNonNull(kind, "kind");
    outputIndexes = List.copyOf(outputIndexes);
  }
}
