package io.sriov.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.route.Route;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NetlinkDefaultRouteLinksTest {

  private static Route route(String dst, int table, OptionalInt oif, List<Route.Nexthop> hops) {
    return new Route(
        IpPrefix.parse(dst),
        Optional.empty(),
        oif,
        table,
        3,
        0,
        1,
        OptionalInt.of(100),
        Optional.empty(),
        hops);
  }

  @Test
  void defaultRoutesOfTheMainTableAnyMetricAndEveryNexthopCount() {
    List<Route> routes =
        List.of(
            route("0.0.0.0/0", 254, OptionalInt.of(2), List.of()),
            route("0.0.0.0/0", 254, OptionalInt.of(2), List.of()), // second metric, same dev
            route(
                "0.0.0.0/0",
                254,
                OptionalInt.empty(),
                List.of(
                    new Route.Nexthop(5, Optional.empty()),
                    new Route.Nexthop(6, Optional.empty()))),
            route("10.0.0.0/8", 254, OptionalInt.of(7), List.of()), // not default
            route("0.0.0.0/0", 100, OptionalInt.of(8), List.of()), // other table
            route("::/0", 254, OptionalInt.of(9), List.of())); // IPv6
    assertThat(NetlinkDefaultRouteLinks.defaultOutputIndexes(routes)).containsExactly(2, 5, 6);
  }

  @Test
  void noDefaultRouteNoIndex() {
    assertThat(
            NetlinkDefaultRouteLinks.defaultOutputIndexes(
                List.of(route("192.0.2.0/24", 254, OptionalInt.of(3), List.of()))))
        .isEmpty();
  }
}
