package io.sriov.netlink.route;

import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.codec.Rtnetlink;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route to add or delete ({@code ip route add DST [via GW] [dev IF] [metric N] [table T]}). The
 * scope is link when there is no gateway, universe otherwise (as iproute2 picks it).
 */
public record RouteSpec(
    IpPrefix destination,
    Optional<InetAddress> gateway,
    OptionalInt outputIndex,
    int table,
    OptionalInt priority,
    Optional<InetAddress> preferredSource) {

  public RouteSpec {
    Objects.requireNonNull(destination, "destination");
    destination = destination.network();
    Objects.requireNonNull(gateway, "gateway");
    if (gateway.isPresent() && (gateway.get() instanceof Inet4Address) != destination.isIpv4()) {
      throw new IllegalArgumentException(
          "gateway " + gateway.get().getHostAddress() + " is not of the family of " + destination);
    }
    if (gateway.isEmpty() && outputIndex.isEmpty()) {
      throw new IllegalArgumentException(
          "route to " + destination + " needs a gateway or a device");
    }
  }

  public static RouteSpec via(IpPrefix destination, InetAddress gateway, int outputIndex) {
    return new RouteSpec(
        destination,
        Optional.of(gateway),
        outputIndex > 0 ? OptionalInt.of(outputIndex) : OptionalInt.empty(),
        Rtnetlink.RT_TABLE_MAIN,
        OptionalInt.empty(),
        Optional.empty());
  }

  public static RouteSpec onLink(IpPrefix destination, int outputIndex) {
    return new RouteSpec(
        destination,
        Optional.empty(),
        OptionalInt.of(outputIndex),
        Rtnetlink.RT_TABLE_MAIN,
        OptionalInt.empty(),
        Optional.empty());
  }

  public RouteSpec withPriority(int metric) {
    return new RouteSpec(
        destination, gateway, outputIndex, table, OptionalInt.of(metric), preferredSource);
  }

  public RouteSpec withTable(int t) {
    return new RouteSpec(destination, gateway, outputIndex, t, priority, preferredSource);
  }

  public int scope() {
    return gateway.isPresent() ? Rtnetlink.RT_SCOPE_UNIVERSE : Rtnetlink.RT_SCOPE_LINK;
  }
}
