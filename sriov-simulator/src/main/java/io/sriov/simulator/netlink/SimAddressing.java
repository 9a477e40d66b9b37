package io.sriov.simulator.netlink;

import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.codec.IfAddr;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.route.Address;
import io.sriov.netlink.route.Route;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.os.Errno;
import io.sriov.simulator.netlink.SimNamespace.SimAddress;
import io.sriov.simulator.netlink.SimNamespace.SimRoute;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Addresses and routes of one simulated namespace, with the kernel's answers (net/ipv4/devinet.c,
 * fib_semantics.c, net/ipv6/addrconf.c, route.c). Called with the network's lock held.
 */
final class SimAddressing {
  /** The metric the kernel gives IPv6 routes without one (IP6_RT_PRIO_USER). */
  static final int IPV6_USER_METRIC = 1024;

  /** The metric of IPv6 prefix routes (IP6_RT_PRIO_ADDRCONF). */
  static final int IPV6_PREFIX_METRIC = 256;

  private SimAddressing() {}

  static void add(SimNamespace ns, int index, IpPrefix prefix, boolean noDad)
      throws ErrnoException {
    String op = "RTM_NEWADDR " + prefix + " ifindex " + index;
    SimLink l = link(ns, index, op, prefix);
    for (SimAddress a : ns.addresses) {
      if (a.link() == l && a.prefix().address().equals(prefix.address())) {
        if (prefix.isIpv4() && a.prefix().length() == prefix.length()) {
          throw new ErrnoException(op, Errno.EEXIST, "ipv4: Address already assigned");
        }
        if (!prefix.isIpv4()) {
          throw new ErrnoException(op, Errno.EEXIST, "ipv6: address already assigned");
        }
      }
    }
    int flags = IfAddr.IFA_F_PERMANENT | (noDad && !prefix.isIpv4() ? IfAddr.IFA_F_NODAD : 0);
    ns.addresses.add(new SimAddress(l, prefix, flags));
  }

  static void delete(SimNamespace ns, int index, IpPrefix prefix) throws ErrnoException {
    String op = "RTM_DELADDR " + prefix + " ifindex " + index;
    SimLink l = link(ns, index, op, prefix);
    boolean removed =
        ns.addresses.removeIf(
            a ->
                a.link() == l
                    && a.prefix().address().equals(prefix.address())
                    && a.prefix().length() == prefix.length());
    if (!removed) {
      throw new ErrnoException(
          op,
          Errno.EADDRNOTAVAIL,
          prefix.isIpv4() ? "ipv4: Address not found" : "ipv6: address not found");
    }
  }

  /** IPv4 first, then IPv6 (the dump's family order), each by ifindex then age. */
  static List<Address> list(SimNamespace ns, int index) {
    List<Address> out = new ArrayList<>();
    for (boolean v4 : new boolean[] {true, false}) {
      ns.addresses.stream()
          .filter(a -> a.prefix().isIpv4() == v4 && (index == 0 || a.link().index == index))
          .sorted(Comparator.comparingInt(a -> a.link().index))
          .forEach(
              a ->
                  out.add(
                      new Address(
                          a.link().index,
                          a.prefix(),
                          scope(a.prefix()),
                          a.flags(),
                          v4 ? Optional.of(a.link().name.value()) : Optional.empty())));
    }
    return out;
  }

  private static int scope(IpPrefix p) {
    InetAddress a = p.address();
    if (a.isLoopbackAddress()) {
      return Rtnetlink.RT_SCOPE_HOST;
    }
    return a.isLinkLocalAddress() ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_UNIVERSE;
  }

  private static SimLink link(SimNamespace ns, int index, String op, IpPrefix p)
      throws ErrnoException {
    SimLink l = ns.links.get(index);
    if (l == null) {
      throw new ErrnoException(
          op,
          Errno.ENODEV,
          p.isIpv4() ? "ipv4: Device not found" : "ipv6: Unable to find the interface");
    }
    return l;
  }

  // ---------------------------------------------------------------- routes

  static void addRoute(SimNamespace ns, RouteSpec r) throws ErrnoException {
    String op = "RTM_NEWROUTE " + r.destination();
    boolean v4 = r.destination().isIpv4();
    SimLink out = null;
    if (r.outputIndex().isPresent()) {
      out = ns.links.get(r.outputIndex().getAsInt());
      if (out == null) {
        throw new ErrnoException(op, Errno.ENODEV);
      }
      if (!out.up && r.gateway().isEmpty()) {
        throw new ErrnoException(op, Errno.ENETDOWN, "Device for nexthop is not up");
      }
    }
    if (r.gateway().isPresent()) {
      InetAddress gw = r.gateway().get();
      boolean linkLocal = !v4 && gw.isLinkLocalAddress() && out != null;
      SimLink via = linkLocal ? out : connectedLink(ns, gw, out);
      if (via == null) {
        if (v4) {
          throw new ErrnoException(op, Errno.ENETUNREACH, "Nexthop has invalid gateway");
        }
        throw new ErrnoException(op, Errno.EHOSTUNREACH);
      }
      out = via;
    }
    int metric = metric(r);
    for (SimRoute existing : ns.routes) {
      RouteSpec e = existing.spec();
      if (e.destination().equals(r.destination())
          && e.table() == r.table()
          && metric(e) == metric) {
        throw new ErrnoException(op, Errno.EEXIST);
      }
    }
    ns.routes.add(new SimRoute(r, out));
  }

  static void deleteRoute(SimNamespace ns, RouteSpec r) throws ErrnoException {
    String op = "RTM_DELROUTE " + r.destination();
    for (SimRoute existing : ns.routes) {
      RouteSpec e = existing.spec();
      if (e.destination().equals(r.destination())
          && e.table() == r.table()
          && (r.gateway().isEmpty() || r.gateway().equals(e.gateway()))
          && (r.outputIndex().isEmpty() || r.outputIndex().getAsInt() == existing.output().index)
          && (r.priority().isEmpty() || r.priority().getAsInt() == metric(e))) {
        ns.routes.remove(existing);
        return;
      }
    }
    throw new ErrnoException(op, Errno.ESRCH);
  }

  static List<Route> routes(SimNamespace ns, boolean ipv6, int table) {
    List<Route> out = new ArrayList<>();
    if (table == 0 || table == Rtnetlink.RT_TABLE_MAIN) {
      for (SimAddress a : ns.addresses) {
        IpPrefix p = a.prefix();
        if (p.isIpv4() == ipv6 || !a.link().up || p.length() == (ipv6 ? 128 : 32)) {
          continue;
        }
        IpPrefix net = p.network();
        if (out.stream().anyMatch(r -> r.destination().equals(net))) {
          continue;
        }
        out.add(
            new Route(
                net,
                Optional.empty(),
                OptionalInt.of(a.link().index),
                Rtnetlink.RT_TABLE_MAIN,
                Rtnetlink.RTPROT_KERNEL,
                ipv6 ? Rtnetlink.RT_SCOPE_UNIVERSE : Rtnetlink.RT_SCOPE_LINK,
                Rtnetlink.RTN_UNICAST,
                ipv6 ? OptionalInt.of(IPV6_PREFIX_METRIC) : OptionalInt.empty(),
                ipv6 ? Optional.empty() : Optional.of(p.address())));
      }
    }
    for (SimRoute sr : ns.routes) {
      RouteSpec r = sr.spec();
      if (r.destination().isIpv4() == ipv6 || (table != 0 && r.table() != table)) {
        continue;
      }
      int metric = metric(r);
      out.add(
          new Route(
              r.destination(),
              r.gateway(),
              OptionalInt.of(sr.output().index),
              r.table(),
              Rtnetlink.RTPROT_BOOT,
              ipv6 ? Rtnetlink.RT_SCOPE_UNIVERSE : r.scope(),
              Rtnetlink.RTN_UNICAST,
              metric == 0 ? OptionalInt.empty() : OptionalInt.of(metric),
              r.preferredSource()));
    }
    out.sort(
        Comparator.comparing(
                (Route r) -> r.destination().address().getAddress(), Arrays::compareUnsigned)
            .thenComparingInt(r -> r.destination().length()));
    return out;
  }

  private static int metric(RouteSpec r) {
    if (r.priority().isPresent()) {
      return r.priority().getAsInt();
    }
    return r.destination().isIpv4() ? 0 : IPV6_USER_METRIC;
  }

  /** The up link with an address whose prefix covers {@code gw}, on {@code only} if given. */
  private static SimLink connectedLink(SimNamespace ns, InetAddress gw, SimLink only) {
    for (SimAddress a : ns.addresses) {
      SimLink l = a.link();
      if ((only == null || l == only) && l.up && covers(a.prefix(), gw)) {
        return l;
      }
    }
    return null;
  }

  private static boolean covers(IpPrefix p, InetAddress a) {
    if (p.address().getAddress().length != a.getAddress().length) {
      return false;
    }
    return new IpPrefix(a, p.length()).network().equals(p.network());
  }
}
