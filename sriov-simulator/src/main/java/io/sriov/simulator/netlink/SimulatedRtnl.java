package io.sriov.simulator.netlink;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.route.Address;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.Route;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * SIMULATED rtnetlink bound to one namespace of a {@link SimulatedNetwork}, as an {@code
 * RtnlClient} is bound to the namespace its socket was opened in. Obtained from {@link
 * SimulatedNetwork#open(Path)}; safe to share between threads; after {@link #close()} every call is
 * an {@link IllegalStateException}.
 */
public final class SimulatedRtnl implements RtnlOperations {
  private final SimulatedNetwork network;
  private final Path namespace;
  private volatile boolean closed;

  SimulatedRtnl(SimulatedNetwork network, Path namespace) {
    this.network = network;
    this.namespace = namespace;
  }

  /** The namespace this session is bound to. */
  public Path namespace() {
    return namespace;
  }

  private Path ns() {
    if (closed) {
      throw new IllegalStateException("SIMULATION: rtnetlink session of " + namespace + " closed");
    }
    return namespace;
  }

  @Override
  public List<Link> links() {
    return network.links(ns());
  }

  @Override
  public Optional<Link> link(int index) {
    return network.link(ns(), index);
  }

  @Override
  public Optional<Link> link(String name) {
    return network.link(ns(), name);
  }

  @Override
  public void setUp(int index, boolean up) throws NetlinkException {
    network.setUp(ns(), index, up);
  }

  @Override
  public void setMtu(int index, int mtu) throws NetlinkException {
    network.setMtu(ns(), index, mtu);
  }

  @Override
  public void setMac(int index, MacAddress mac) throws NetlinkException {
    network.setMac(ns(), index, mac);
  }

  @Override
  public void rename(int index, InterfaceName name) throws NetlinkException {
    network.rename(ns(), index, name);
  }

  @Override
  public void addAltName(int index, String altName) throws NetlinkException {
    network.addAltName(ns(), index, altName);
  }

  @Override
  public void deleteAltName(int index, String altName) throws NetlinkException {
    network.deleteAltName(ns(), index, altName);
  }

  /** The target is the simulated namespace at {@code ns.path()}. */
  @Override
  public void moveToNamespace(int index, NetNamespace ns) throws NetlinkException {
    network.moveToNamespace(
        ns(), index, ns.path(), "RTM_SETLINK ifindex " + index + " netns " + ns.path());
  }

  @Override
  public void moveToNamespace(int index, Path target) throws NetlinkException {
    if (!network.hasNamespace(target)) {
      throw new io.sriov.netlink.ErrnoException("open netns " + target, io.sriov.os.Errno.ENOENT);
    }
    network.moveToNamespace(
        ns(), index, target, "RTM_SETLINK ifindex " + index + " netns " + target);
  }

  @Override
  public void moveToNamespace(int index, Path target, InterfaceName name) throws NetlinkException {
    if (!network.hasNamespace(target)) {
      throw new io.sriov.netlink.ErrnoException("open netns " + target, io.sriov.os.Errno.ENOENT);
    }
    network.moveToNamespace(
        ns(),
        index,
        target,
        name,
        "RTM_SETLINK ifindex " + index + " netns " + target + " name " + name);
  }

  @Override
  public Link create(LinkSpec spec) throws NetlinkException {
    return network.create(ns(), spec);
  }

  @Override
  public void delete(int index) throws NetlinkException {
    network.delete(ns(), index);
  }

  @Override
  public void setMaster(int index, int masterIndex) throws NetlinkException {
    network.setMaster(ns(), index, masterIndex);
  }

  @Override
  public void clearMaster(int index) throws NetlinkException {
    network.clearMaster(ns(), index);
  }

  @Override
  public List<VfInfo> vfs(int pfIndex, boolean withStats) throws NetlinkException {
    return network.vfs(ns(), pfIndex, withStats);
  }

  @Override
  public void setVf(int pfIndex, VfConfig config) throws NetlinkException {
    network.setVf(ns(), pfIndex, config);
  }

  @Override
  public void setVfs(int pfIndex, List<VfConfig> configs) throws NetlinkException {
    network.setVfs(ns(), pfIndex, configs);
  }

  @Override
  public void addAddress(int index, IpPrefix prefix, boolean noDad) throws NetlinkException {
    network.withNamespace(
        ns(),
        n -> {
          SimAddressing.add(n, index, prefix, noDad);
          return null;
        });
  }

  @Override
  public void deleteAddress(int index, IpPrefix prefix) throws NetlinkException {
    network.withNamespace(
        ns(),
        n -> {
          SimAddressing.delete(n, index, prefix);
          return null;
        });
  }

  @Override
  public List<Address> addresses(int index) {
    return network.readNamespace(ns(), n -> SimAddressing.list(n, index));
  }

  @Override
  public void addRoute(RouteSpec route) throws NetlinkException {
    network.withNamespace(
        ns(),
        n -> {
          SimAddressing.addRoute(n, route);
          return null;
        });
  }

  @Override
  public void deleteRoute(RouteSpec route) throws NetlinkException {
    network.withNamespace(
        ns(),
        n -> {
          SimAddressing.deleteRoute(n, route);
          return null;
        });
  }

  @Override
  public List<Route> routes(boolean ipv6, int table) {
    return network.readNamespace(ns(), n -> SimAddressing.routes(n, ipv6, table));
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "SimulatedRtnl[SIMULATION netns=" + namespace + "]";
  }
}
