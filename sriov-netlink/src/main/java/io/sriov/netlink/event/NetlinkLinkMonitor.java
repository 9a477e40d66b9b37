package io.sriov.netlink.event;

import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import io.sriov.core.value.InterfaceName;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.route.RtnlDecoders;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LinkMonitor} on an rtnetlink socket subscribed to RTNLGRP_LINK ({@code ip monitor link}):
 * the kernel pushes RTM_NEWLINK / RTM_DELLINK as links change, and one platform thread turns them
 * into {@link LinkEvent}s within the time of a context switch. Only changes that matter to device
 * health are reported: a new link ({@code PRESENT}), a change of name, oper state or carrier
 * ({@code CHANGED}), a removal ({@code REMOVED}); the kernel's other RTM_NEWLINK notifications
 * (statistics, flags) are filtered out. A link that leaves for another namespace is reported as a
 * {@link LinkEvent#netnsMove() move} ({@code ip link set <if> netns <ns>}: the RTM_DELLINK carries
 * IFLA_NEW_NETNSID), and so is its return with the ifindex or the name it left with (a CNI giving a
 * VF back), as long as the monitor remembers it ({@link #MOVED_AWAY_REMEMBERED} links). If the
 * socket overflows (ENOBUFS, events lost), the monitor re-reads all links and reports the
 * differences, so listeners never miss a final state.
 */
public final class NetlinkLinkMonitor extends NetlinkEventMonitor<LinkEvent>
    implements LinkMonitor {
  private static final Logger log = LoggerFactory.getLogger(NetlinkLinkMonitor.class);

  private final RtnlClient requests;
  private final String where;

  /** How many links that left for another namespace are remembered for their return. */
  static final int MOVED_AWAY_REMEMBERED = 1024;

  private final Map<Integer, LinkEvent> known = new HashMap<>(); // monitor thread only
  // the links that left for another namespace, oldest first (monitor thread only)
  private final Map<Integer, InterfaceName> movedAway =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, InterfaceName> eldest) {
          return size() > MOVED_AWAY_REMEMBERED;
        }
      };

  private NetlinkLinkMonitor(NetlinkSocket events, RtnlClient requests, String where)
      throws NetlinkException {
    super(events, "link-monitor " + where, "RTNLGRP_LINK netns=" + where, false);
    this.requests = requests;
    this.where = where;
    for (Link l : requests.links()) {
      known.put(l.index(), event(LinkEvent.Kind.PRESENT, l));
    }
    startThread();
  }

  @Override
  List<LinkEvent> decode(ByteBuffer datagram) throws MalformedMessageException {
    return changes(datagram);
  }

  @Override
  Optional<List<LinkEvent>> afterOverflow() {
    return Optional.of(resync());
  }

  /** Monitors the calling thread's network namespace. */
  public static NetlinkLinkMonitor start() throws NetlinkException {
    NetlinkSocket events = NetlinkSocket.open(Netlink.NETLINK_ROUTE, Rtnetlink.RTMGRP_LINK);
    RtnlClient requests = null;
    try {
      requests = RtnlClient.open();
      return new NetlinkLinkMonitor(events, requests, "current netns");
    } catch (NetlinkException | RuntimeException e) {
      events.close();
      if (requests != null) {
        requests.close();
      }
      throw e;
    }
  }

  /** Monitors {@code ns}: both sockets are opened inside it. */
  public static NetlinkLinkMonitor start(NetnsExecutor executor, NetNamespace ns)
      throws NetlinkException {
    return start(executor, ns, NetlinkSocket.DEFAULT_GROUP_SOCKET_BUFFER);
  }

  /**
   * Monitors {@code ns} with a kernel-side event buffer of {@code socketBufferBytes}: smaller
   * buffers overflow sooner (the monitor then resynchronises from a dump), larger ones cost kernel
   * memory.
   */
  public static NetlinkLinkMonitor start(
      NetnsExecutor executor, NetNamespace ns, int socketBufferBytes) throws NetlinkException {
    NetlinkSocket events = executor.openSocket(ns, Netlink.NETLINK_ROUTE, Rtnetlink.RTMGRP_LINK);
    RtnlClient requests = null;
    try {
      events.setKernelReceiveBuffer(socketBufferBytes);
      requests = RtnlClient.open(executor, ns);
      return new NetlinkLinkMonitor(events, requests, ns.path().toString());
    } catch (NetlinkException | RuntimeException e) {
      events.close();
      if (requests != null) {
        requests.close();
      }
      throw e;
    }
  }

  private static LinkEvent event(LinkEvent.Kind kind, Link l) {
    return event(kind, l, false);
  }

  private static LinkEvent event(LinkEvent.Kind kind, Link l, boolean netnsMove) {
    return new LinkEvent(kind, l.index(), l.name(), l.operState(), l.carrier(), netnsMove);
  }

  @Override
  public List<LinkEvent> snapshot() {
    try {
      List<LinkEvent> out = new ArrayList<>();
      for (Link l : requests.links()) {
        out.add(event(LinkEvent.Kind.PRESENT, l));
      }
      return out;
    } catch (NetlinkException e) {
      throw new LinkMonitorException(e);
    }
  }

  /** The health-relevant changes a datagram carries, against what is known (loop thread). */
  private List<LinkEvent> changes(ByteBuffer datagram) throws MalformedMessageException {
    List<LinkEvent> out = new ArrayList<>();
    MessageReader m = new MessageReader(datagram);
    while (m.next()) {
      Link l = RtnlDecoders.link(m);
      if (l == null) {
        continue;
      }
      if (m.type() == Rtnetlink.RTM_DELLINK) {
        boolean move = RtnlDecoders.movedToAnotherNamespace(m);
        if (move) {
          movedAway.put(l.index(), l.name());
        }
        if (known.remove(l.index()) != null) {
          out.add(event(LinkEvent.Kind.REMOVED, l, move));
        }
      } else {
        update(l, out);
      }
    }
    return out;
  }

  private void update(Link l, List<LinkEvent> out) {
    LinkEvent before = known.get(l.index());
    if (before == null) {
      known.put(l.index(), event(LinkEvent.Kind.PRESENT, l));
      out.add(event(LinkEvent.Kind.PRESENT, l, cameBack(l)));
    } else if (!before.name().equals(l.name())
        || before.operState() != l.operState()
        || before.carrier() != l.carrier()) {
      known.put(l.index(), event(LinkEvent.Kind.PRESENT, l));
      out.add(event(LinkEvent.Kind.CHANGED, l));
    }
  }

  /**
   * Whether a link new in this namespace is one that left it for another namespace (the same
   * ifindex, or the same name when the kernel had to give it a new ifindex on the way back).
   */
  private boolean cameBack(Link l) {
    if (movedAway.remove(l.index()) != null) {
      return true;
    }
    return movedAway.values().remove(l.name());
  }

  /** After lost events: re-reads every link and reports the differences (loop thread). */
  private List<LinkEvent> resync() {
    List<LinkEvent> out = new ArrayList<>();
    try {
      Map<Integer, Link> now = new HashMap<>();
      for (Link l : requests.links()) {
        now.put(l.index(), l);
      }
      for (LinkEvent gone : List.copyOf(known.values())) {
        if (!now.containsKey(gone.ifIndex())) {
          known.remove(gone.ifIndex());
          out.add(
              new LinkEvent(
                  LinkEvent.Kind.REMOVED,
                  gone.ifIndex(),
                  gone.name(),
                  gone.operState(),
                  gone.carrier()));
        }
      }
      now.values().forEach(l -> update(l, out));
    } catch (NetlinkException e) {
      log.error("link resync failed netns={} error={}", where, e.getMessage());
    }
    return out;
  }

  /** How many times events were lost (ENOBUFS) and the state was re-read from a dump. */
  public long resyncCount() {
    return overflowCount();
  }

  @Override
  void release() {
    requests.close();
  }
}
