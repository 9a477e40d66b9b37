package io.sriov.node;

import java.util.Set;

/**
 * Which host netdevs carry the IPv4 default route: {@code ip -4 route show default table main}
 * (destination 0.0.0.0/0, any metric), the {@code dev} of each route and of each {@code nexthop} of
 * a multipath one. As upstream, a netDevice whose own netdev is in this set is never offered, so
 * the node's uplink is not handed to a pod.
 */
@FunctionalInterface
public interface DefaultRouteLinks {

  /** A node without default routes (simulated nodes, tests). */
  DefaultRouteLinks NONE = Set::of;

  /**
   * One look-up (a single route dump), called once per discovery, never per device.
   *
   * @return netdev names; empty when there is no IPv4 default route
   * @throws LookupException when the routes cannot be read
   */
  Set<String> names();

  /** The routes or a route's link could not be read (carries the netlink errno and operation). */
  final class LookupException extends RuntimeException {
    public LookupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
