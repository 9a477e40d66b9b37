package io.sriov.node;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkOperations;
import io.sriov.netlink.route.Route;
import io.sriov.netlink.route.RouteOperations;
import io.sriov.os.Errno;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link DefaultRouteLinks} over rtnetlink in the caller's network namespace: one {@code
 * RTM_GETROUTE} dump of the IPv4 main table, then one {@code RTM_GETLINK} per distinct output
 * interface of the default routes (usually one).
 */
public final class NetlinkDefaultRouteLinks implements DefaultRouteLinks {
  private final RouteOperations routes;
  private final LinkOperations links;

  /**
   * @param routes and {@code links}: usually the same {@code RtnlClient}, owned by the caller
   */
  public NetlinkDefaultRouteLinks(RouteOperations routes, LinkOperations links) {
    this.routes = Objects.requireNonNull(routes, "routes");
    this.links = Objects.requireNonNull(links, "links");
  }

  @Override
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (int index : defaultOutputIndexes(routes.routes(false, Rtnetlink.RT_TABLE_MAIN))) {
        // A link removed between the two calls no longer carries anything: skip it.
        Optional<Link> link = links.link(index);
        link.ifPresent(l -> names.add(l.name().value()));
      }
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT) {
        // "ipv4: FIB table does not exist": the kernel creates the main table with the first IPv4
        // route, so a namespace without any has no default route either.
        return Set.of();
      }
      throw new LookupException("IPv4 default routes: " + e.getMessage(), e);
    } catch (NetlinkException e) {
      throw new LookupException("IPv4 default routes: " + e.getMessage(), e);
    }
    return names;
  }

  /** The ifindexes that IPv4 default routes of the main table leave through, multipath included. */
  static Set<Integer> defaultOutputIndexes(List<Route> routes) {
    Set<Integer> out = new LinkedHashSet<>();
    for (Route r : routes) {
      if (r.isDefault() && r.destination().isIpv4() && r.table() == Rtnetlink.RT_TABLE_MAIN) {
        out.addAll(r.outputIndexes());
      }
    }
    return out;
  }
}
