package io.sriov.netlink.event;

import io.sriov.core.port.DefaultRouteEvent;
import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@link DefaultRouteMonitor} on an rtnetlink socket subscribed to RTNLGRP_IPV4_ROUTE ({@code ip -4
 * monitor route}): the kernel pushes RTM_NEWROUTE / RTM_DELROUTE for every IPv4 route change of the
 * namespace, and one platform thread keeps those of a default route in the main table ({@link
 * DefaultRouteDecoder}) and delivers them. If the socket overflows (ENOBUFS) or a datagram does not
 * decode, a default-route change may have been missed: every subscriber's {@code onLost} runs so it
 * re-reads the routes.
 *
 * <p>The socket is bound to the network namespace of the thread that opens it: {@link #start()}
 * watches the caller's, {@link #start(NetnsExecutor, NetNamespace)} another one.
 */
public final class NetlinkDefaultRouteMonitor extends NetlinkEventMonitor<DefaultRouteEvent>
    implements DefaultRouteMonitor {

  private NetlinkDefaultRouteMonitor(NetlinkSocket events, String where) {
    super(events, "route-monitor " + where, "RTNLGRP_IPV4_ROUTE netns=" + where, true);
    startThread();
  }

  @Override
  List<DefaultRouteEvent> decode(ByteBuffer datagram) throws MalformedMessageException {
    return DefaultRouteDecoder.decode(datagram);
  }

  /** Monitors the calling thread's network namespace (1 MiB kernel buffer). */
  public static NetlinkDefaultRouteMonitor start() throws ErrnoException {
    NetlinkSocket events = NetlinkSocket.open(Netlink.NETLINK_ROUTE, Rtnetlink.RTMGRP_IPV4_ROUTE);
    try {
      events.setKernelReceiveBuffer(NetlinkSocket.DEFAULT_GROUP_SOCKET_BUFFER);
      return new NetlinkDefaultRouteMonitor(events, "current netns");
    } catch (ErrnoException | RuntimeException e) {
      events.close();
      throw e;
    }
  }

  /** Monitors {@code ns}: the socket is opened inside it. */
  public static NetlinkDefaultRouteMonitor start(NetnsExecutor executor, NetNamespace ns)
      throws NetlinkException {
    return start(executor, ns, NetlinkSocket.DEFAULT_GROUP_SOCKET_BUFFER);
  }

  /**
   * Monitors {@code ns} with a kernel-side event buffer of {@code socketBufferBytes}: smaller
   * buffers overflow sooner (subscribers then re-read the routes), larger ones cost kernel memory.
   */
  public static NetlinkDefaultRouteMonitor start(
      NetnsExecutor executor, NetNamespace ns, int socketBufferBytes) throws NetlinkException {
    NetlinkSocket events =
        executor.openSocket(ns, Netlink.NETLINK_ROUTE, Rtnetlink.RTMGRP_IPV4_ROUTE);
    try {
      events.setKernelReceiveBuffer(socketBufferBytes);
      return new NetlinkDefaultRouteMonitor(events, ns.path().toString());
    } catch (ErrnoException | RuntimeException e) {
      events.close();
      throw e;
    }
  }
}
