package io.sriov.netlink.route;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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
  private final Consumer<RtnlClient> onClose; // null: close the socket

  public RtnlClient(NetlinkSocket socket) {
    this(socket, null);
  }

  /**
   * A client whose {@link #close} hands it to {@code onClose} (a pool reusing it; the client is
   * thread-safe, so a caller still holding it after giving it back can only share it) instead of
   * closing the socket; {@link #closeSocket} closes it for good.
   */
  RtnlClient(NetlinkSocket socket, Consumer<RtnlClient> onClose) {
    this.socket = Objects.requireNonNull(socket, "socket");
    if (socket.protocol() != Netlink.NETLINK_ROUTE) {
      throw new IllegalArgumentException("RtnlClient needs a NETLINK_ROUTE socket");
    }
    this.onClose = onClose;
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
    return exchange(
        w -> RtnlRequests.dumpLinks(w, LINK_MASK),
        w -> socket.dump(w, "RTM_GETLINK dump", RtnlDecoders::link));
  }

  @Override
  public Optional<Link> link(int index) throws NetlinkException {
    return getLink(index, LINK_MASK);
  }

  private Optional<Link> getLink(int index, int mask) throws NetlinkException {
    if (index <= 0) {
      throw new IllegalArgumentException("ifindex must be positive: " + index);
    }
    return exchange(
        w -> RtnlRequests.getLink(w, index, mask),
        w -> socket.get(w, "RTM_GETLINK ifindex " + index, RtnlDecoders::link, Errno.ENODEV));
  }

  @Override
  public Optional<Link> link(String name) throws NetlinkException {
    if (name == null || name.isEmpty() || name.length() > 127 || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "link name \"" + name + "\": must be 1-127 characters without '/'");
    }
    return exchange(
        w -> RtnlRequests.getLinkByName(w, name, LINK_MASK),
        w -> socket.get(w, "RTM_GETLINK " + name, RtnlDecoders::link, Errno.ENODEV));
  }

  /** Builds one request into the client's writer. */
  @FunctionalInterface
  private interface Request {
    void build(MessageWriter w);
  }

  /** Sends the built request and reads what answers it. */
  @FunctionalInterface
  private interface Answer<T> {
    T read(MessageWriter w) throws NetlinkException;
  }

  /**
   * The one request path: under the lock (one request in flight on the socket, the writer reused),
   * builds the request and exchanges it with the kernel.
   */
  private <T> T exchange(Request request, Answer<T> answer) throws NetlinkException {
    lock.lock();
    try {
      request.build(writer);
      return answer.read(writer);
    } finally {
      lock.unlock();
    }
  }

  /** A request the kernel acks (NLM_F_ACK); {@code op} names it in errors. */
  private void execute(Request request, String op) throws NetlinkException {
    exchange(
        request,
        w -> {
          socket.execute(w, op);
          return null;
        });
  }

  @Override
  public void setUp(int index, boolean up) throws NetlinkException {
    execute(
        w -> RtnlRequests.setUp(w, index, up),
        "RTM_SETLINK ifindex " + index + (up ? " up" : " down"));
    log.debug("link set ifindex={} up={}", index, up);
  }

  @Override
  public void setMtu(int index, int mtu) throws NetlinkException {
    if (mtu <= 0) {
      throw new IllegalArgumentException("MTU must be positive: " + mtu);
    }
    execute(
        w -> RtnlRequests.setMtu(w, index, mtu), "RTM_SETLINK ifindex " + index + " mtu " + mtu);
  }

  @Override
  public void setMac(int index, MacAddress mac) throws NetlinkException {
    execute(
        w -> RtnlRequests.setMac(w, index, mac),
        "RTM_SETLINK ifindex " + index + " address " + mac);
  }

  @Override
  public void rename(int index, InterfaceName name) throws NetlinkException {
    execute(
        w -> RtnlRequests.rename(w, index, name), "RTM_SETLINK ifindex " + index + " name " + name);
  }

  @Override
  public void addAltName(int index, String altName) throws NetlinkException {
    execute(
        w -> RtnlRequests.altName(w, index, altName, true),
        "RTM_NEWLINKPROP ifindex " + index + " altname " + altName);
  }

  @Override
  public void deleteAltName(int index, String altName) throws NetlinkException {
    execute(
        w -> RtnlRequests.altName(w, index, altName, false),
        "RTM_DELLINKPROP ifindex " + index + " altname " + altName);
  }

  @Override
  public void moveToNamespace(int index, NetNamespace ns) throws NetlinkException {
    execute(
        w -> RtnlRequests.moveToNetns(w, index, ns.fd()),
        "RTM_SETLINK ifindex " + index + " netns " + ns.path());
  }

  @Override
  public void moveToNamespace(int index, Path namespace) throws NetlinkException {
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      moveToNamespace(index, ns);
    }
  }

  @Override
  public void moveToNamespace(int index, Path namespace, InterfaceName name)
      throws NetlinkException {
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      execute(
          w -> RtnlRequests.moveToNetns(w, index, ns.fd(), name),
          "RTM_SETLINK ifindex " + index + " netns " + namespace + " name " + name);
    }
  }

  @Override
  public Link create(LinkSpec spec) throws NetlinkException {
    execute(
        w -> RtnlRequests.newLink(w, spec), "RTM_NEWLINK " + spec.name() + " type " + spec.kind());
    log.debug("link created name={} kind={}", spec.name(), spec.kind());
    return link(spec.name().value())
        .orElseThrow(
            () ->
                new ErrnoException(
                    "RTM_GETLINK " + spec.name() + " after creating it", Errno.ENODEV));
  }

  @Override
  public void delete(int index) throws NetlinkException {
    execute(w -> RtnlRequests.deleteLink(w, index), "RTM_DELLINK ifindex " + index);
  }

  @Override
  public void setMaster(int index, int masterIndex) throws NetlinkException {
    if (masterIndex <= 0) {
      throw new IllegalArgumentException("master ifindex must be positive: " + masterIndex);
    }
    execute(
        w -> RtnlRequests.setMaster(w, index, masterIndex),
        "RTM_SETLINK ifindex " + index + " master " + masterIndex);
  }

  @Override
  public void clearMaster(int index) throws NetlinkException {
    execute(w -> RtnlRequests.setMaster(w, index, 0), "RTM_SETLINK ifindex " + index + " nomaster");
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
    execute(
        w -> RtnlRequests.setVf(w, pfIndex, config),
        RtnlRequests.setVfsOperation(pfIndex, List.of(config)));
  }

  @Override
  public void setVfs(int pfIndex, List<VfConfig> configs) throws NetlinkException {
    for (List<VfConfig> batch : RtnlRequests.vfBatches(configs)) {
      execute(
          w -> RtnlRequests.setVfs(w, pfIndex, batch),
          RtnlRequests.setVfsOperation(pfIndex, batch));
    }
  }

  // ---- addresses ----------------------------------------------------------------------------

  @Override
  public void addAddress(int index, IpPrefix prefix, boolean noDad) throws NetlinkException {
    execute(
        w -> RtnlRequests.address(w, true, index, prefix, noDad),
        "RTM_NEWADDR " + prefix + " ifindex " + index);
  }

  @Override
  public void deleteAddress(int index, IpPrefix prefix) throws NetlinkException {
    execute(
        w -> RtnlRequests.address(w, false, index, prefix, false),
        "RTM_DELADDR " + prefix + " ifindex " + index);
  }

  @Override
  public List<Address> addresses(int index) throws NetlinkException {
    List<Address> all =
        exchange(
            w -> RtnlRequests.dumpAddresses(w, RtnlRequests.AF_UNSPEC, index),
            w -> socket.dump(w, "RTM_GETADDR dump", RtnlDecoders::address));
    return index == 0 ? all : all.stream().filter(a -> a.index() == index).toList();
  }

  // ---- routes -------------------------------------------------------------------------------

  @Override
  public void addRoute(RouteSpec route) throws NetlinkException {
    execute(w -> RtnlRequests.route(w, true, route), "RTM_NEWROUTE " + route.destination());
  }

  @Override
  public void deleteRoute(RouteSpec route) throws NetlinkException {
    execute(w -> RtnlRequests.route(w, false, route), "RTM_DELROUTE " + route.destination());
  }

  @Override
  public List<Route> routes(boolean ipv6, int table) throws NetlinkException {
    List<Route> all =
        exchange(
            w ->
                RtnlRequests.dumpRoutes(
                    w, ipv6 ? RtnlRequests.AF_INET6 : RtnlRequests.AF_INET, table),
            w -> socket.dump(w, "RTM_GETROUTE dump", RtnlDecoders::route));
    return table == 0 ? all : all.stream().filter(r -> r.table() == table).toList();
  }

  @Override
  public void close() {
    if (onClose != null) {
      onClose.accept(this);
    } else {
      socket.close();
    }
  }

  /** Closes the socket whatever {@link #close} does. */
  void closeSocket() {
    socket.close();
  }
}
