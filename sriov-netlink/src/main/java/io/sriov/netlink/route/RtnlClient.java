package io.sriov.netlink.route;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.Errno;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rtnetlink for one network namespace: links, VF attributes, addresses, routes, over one
 * NETLINK_ROUTE socket. Requests are serialised (safe to share between threads; each call is one
 * kernel round trip, or one dump). Link lookups never dump, and never ask for VF info or statistics
 * unless the method is about VFs.
 */
public final class RtnlClient implements RtnlOperations {
  private static final Logger log = LoggerFactory.getLogger(RtnlClient.class);

  /** Link lookups: no VF info, no statistics (RTEXT_FILTER_SKIP_STATS). */
  static final int LINK_MASK = Rtnetlink.RTEXT_FILTER_SKIP_STATS;

  private final NetlinkSocket socket;
  private final MessageWriter writer = new MessageWriter(8192);
  private final ReentrantLock lock = new ReentrantLock();

  public RtnlClient(NetlinkSocket socket) {
    this.socket = Objects.requireNonNull(socket, "socket");
    if (socket.protocol() != Netlink.NETLINK_ROUTE) {
      throw new IllegalArgumentException("RtnlClient needs a NETLINK_ROUTE socket");
    }
  }

  /** A client for the calling thread's network namespace. */
  public static RtnlClient open() throws ErrnoException {
    return new RtnlClient(NetlinkSocket.open(Netlink.NETLINK_ROUTE));
  }

  /** A client bound to {@code ns} (its socket is opened inside, on a namespace thread). */
  public static RtnlClient open(NetnsExecutor executor, NetNamespace ns) throws NetlinkException {
    return new RtnlClient(executor.openSocket(ns, Netlink.NETLINK_ROUTE, 0));
  }

  // ---- links --------------------------------------------------------------------------------

  @Override
  public List<Link> links() throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.dumpLinks(writer, LINK_MASK);
      return socket.dump(writer, "RTM_GETLINK dump", RtnlDecoders::link);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Link> link(int index) throws NetlinkException {
    return getLink(index, LINK_MASK);
  }

  private Optional<Link> getLink(int index, int mask) throws NetlinkException {
    if (index <= 0) {
      throw new IllegalArgumentException("ifindex must be positive: " + index);
    }
    lock.lock();
    try {
      RtnlRequests.getLink(writer, index, mask);
      return socket.get(writer, "RTM_GETLINK ifindex " + index, RtnlDecoders::link, Errno.ENODEV);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Link> link(String name) throws NetlinkException {
    if (name == null || name.isEmpty() || name.length() > 127 || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "link name \"" + name + "\": must be 1-127 characters without '/'");
    }
    lock.lock();
    try {
      RtnlRequests.getLinkByName(writer, name, LINK_MASK);
      return socket.get(writer, "RTM_GETLINK " + name, RtnlDecoders::link, Errno.ENODEV);
    } finally {
      lock.unlock();
    }
  }

  private void execute(String op) throws NetlinkException {
    socket.execute(writer, op);
  }

  @Override
  public void setUp(int index, boolean up) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.setUp(writer, index, up);
      execute("RTM_SETLINK ifindex " + index + (up ? " up" : " down"));
    } finally {
      lock.unlock();
    }
    log.debug("link set ifindex={} up={}", index, up);
  }

  @Override
  public void setMtu(int index, int mtu) throws NetlinkException {
    if (mtu <= 0) {
      throw new IllegalArgumentException("MTU must be positive: " + mtu);
    }
    lock.lock();
    try {
      RtnlRequests.setMtu(writer, index, mtu);
      execute("RTM_SETLINK ifindex " + index + " mtu " + mtu);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void setMac(int index, MacAddress mac) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.setMac(writer, index, mac);
      execute("RTM_SETLINK ifindex " + index + " address " + mac);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void rename(int index, InterfaceName name) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.rename(writer, index, name);
      execute("RTM_SETLINK ifindex " + index + " name " + name);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void addAltName(int index, String altName) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.altName(writer, index, altName, true);
      execute("RTM_NEWLINKPROP ifindex " + index + " altname " + altName);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void deleteAltName(int index, String altName) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.altName(writer, index, altName, false);
      execute("RTM_DELLINKPROP ifindex " + index + " altname " + altName);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void moveToNamespace(int index, NetNamespace ns) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.moveToNetns(writer, index, ns.fd());
      execute("RTM_SETLINK ifindex " + index + " netns " + ns.path());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void moveToNamespace(int index, Path namespace) throws NetlinkException {
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      moveToNamespace(index, ns);
    }
  }

  @Override
  public Link create(LinkSpec spec) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.newLink(writer, spec);
      execute("RTM_NEWLINK " + spec.name() + " type " + spec.kind());
    } finally {
      lock.unlock();
    }
    log.debug("link created name={} kind={}", spec.name(), spec.kind());
    return link(spec.name().value())
        .orElseThrow(
            () ->
                new ErrnoException(
                    "RTM_GETLINK " + spec.name() + " after creating it", Errno.ENODEV));
  }

  @Override
  public void delete(int index) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.deleteLink(writer, index);
      execute("RTM_DELLINK ifindex " + index);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void setMaster(int index, int masterIndex) throws NetlinkException {
    if (masterIndex <= 0) {
      throw new IllegalArgumentException("master ifindex must be positive: " + masterIndex);
    }
    lock.lock();
    try {
      RtnlRequests.setMaster(writer, index, masterIndex);
      execute("RTM_SETLINK ifindex " + index + " master " + masterIndex);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void clearMaster(int index) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.setMaster(writer, index, 0);
      execute("RTM_SETLINK ifindex " + index + " nomaster");
    } finally {
      lock.unlock();
    }
  }

  // ---- VFs ----------------------------------------------------------------------------------

  @Override
  public List<VfInfo> vfs(int pfIndex, boolean withStats) throws NetlinkException {
    int mask = Rtnetlink.RTEXT_FILTER_VF | (withStats ? 0 : Rtnetlink.RTEXT_FILTER_SKIP_STATS);
    return getLink(pfIndex, mask)
        .orElseThrow(() -> new ErrnoException("RTM_GETLINK PF ifindex " + pfIndex, Errno.ENODEV))
        .vfs();
  }

  @Override
  public void setVf(int pfIndex, VfConfig config) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.setVf(writer, pfIndex, config);
      execute("RTM_SETLINK PF ifindex " + pfIndex + " vf " + config.vf());
    } finally {
      lock.unlock();
    }
  }

  // ---- addresses ----------------------------------------------------------------------------

  @Override
  public void addAddress(int index, IpPrefix prefix, boolean noDad) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.address(writer, true, index, prefix, noDad);
      execute("RTM_NEWADDR " + prefix + " ifindex " + index);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void deleteAddress(int index, IpPrefix prefix) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.address(writer, false, index, prefix, false);
      execute("RTM_DELADDR " + prefix + " ifindex " + index);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Address> addresses(int index) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.dumpAddresses(writer, RtnlRequests.AF_UNSPEC, index);
      List<Address> all = socket.dump(writer, "RTM_GETADDR dump", RtnlDecoders::address);
      return index == 0 ? all : all.stream().filter(a -> a.index() == index).toList();
    } finally {
      lock.unlock();
    }
  }

  // ---- routes -------------------------------------------------------------------------------

  @Override
  public void addRoute(RouteSpec route) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.route(writer, true, route);
      execute("RTM_NEWROUTE " + route.destination());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void deleteRoute(RouteSpec route) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.route(writer, false, route);
      execute("RTM_DELROUTE " + route.destination());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Route> routes(boolean ipv6, int table) throws NetlinkException {
    lock.lock();
    try {
      RtnlRequests.dumpRoutes(writer, ipv6 ? RtnlRequests.AF_INET6 : RtnlRequests.AF_INET, table);
      List<Route> all = socket.dump(writer, "RTM_GETROUTE dump", RtnlDecoders::route);
      return table == 0 ? all : all.stream().filter(r -> r.table() == table).toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
