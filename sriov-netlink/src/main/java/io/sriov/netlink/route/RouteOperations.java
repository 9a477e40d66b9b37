package io.sriov.netlink.route;

import io.sriov.netlink.NetlinkException;
import java.util.List;

/** Routes, IPv4 and IPv6 ({@code ip route ...}). */
public interface RouteOperations {

  /** {@code ip route add ...}. */
  void addRoute(RouteSpec route) throws NetlinkException;

  /** {@code ip route del ...}. */
  void deleteRoute(RouteSpec route) throws NetlinkException;

  /**
   * {@code ip [-4|-6] route show table T}.
   *
   * @param ipv6 false for IPv4, true for IPv6
   * @param table RT_TABLE_MAIN (254) etc.; 0 for all tables
   */
  List<Route> routes(boolean ipv6, int table) throws NetlinkException;
}
