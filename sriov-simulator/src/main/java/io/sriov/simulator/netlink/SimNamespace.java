package io.sriov.simulator.netlink;

import io.sriov.core.value.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One simulated network namespace: its links by ifindex, addresses and routes. */
final class SimNamespace {
  final Path path;
  final Map<Integer, SimLink> links = new TreeMap<>();
  final List<SimAddress> addresses = new ArrayList<>();
  final List<SimRoute> routes = new ArrayList<>();
  private final Map<SimNamespace, Integer> nsIds = new HashMap<>();
  private int lastIndex;

  SimNamespace(Path path) {
    this.path = path;
  }

  /** An address on a link; {@code flags} are IFA_F_*. */
  record SimAddress(SimLink link, IpPrefix prefix, int flags) {}

  /** A route added with RTM_NEWROUTE (connected routes are derived from the addresses). */
  record SimRoute(io.sriov.netlink.route.RouteSpec spec, SimLink output) {}

  /** The next free ifindex (the kernel allocates them per namespace, lo is 1). */
  int allocateIndex() {
    do {
      lastIndex++;
    } while (links.containsKey(lastIndex));
    return lastIndex;
  }

  /** IFLA_LINK_NETNSID: the id this namespace gives {@code other}, allocated on first use. */
  int idOf(SimNamespace other) {
    return nsIds.computeIfAbsent(other, o -> nsIds.size());
  }

  SimLink byName(String name) {
    for (SimLink l : links.values()) {
      if (l.name.value().equals(name) || l.altNames.contains(name)) {
        return l;
      }
    }
    return null;
  }

  /** Drops the addresses and routes of {@code link} (it went down, left or was deleted). */
  void forget(SimLink link, boolean addressesToo, boolean ipv6AddressesOnly) {
    routes.removeIf(r -> r.output() == link);
    if (addressesToo) {
      addresses.removeIf(a -> a.link() == link && (!ipv6AddressesOnly || !a.prefix().isIpv4()));
    }
  }

  @Override
  public String toString() {
    return "netns " + path;
  }
}
