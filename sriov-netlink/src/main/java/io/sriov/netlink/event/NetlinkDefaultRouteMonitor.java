package io.sriov.netlink.event;

import io.sriov.core.port.DefaultRouteEvent;
import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.netlink.Errno;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class NetlinkDefaultRouteMonitor implements DefaultRouteMonitor {
  private static final Logger log = LoggerFactory.getLogger(NetlinkDefaultRouteMonitor.class);

  private record Subscriber(Consumer<DefaultRouteEvent> listener, Runnable onLost) {}

  private final NetlinkSocket events;
  private final String where;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final AtomicLong overflows = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NetlinkDefaultRouteMonitor(NetlinkSocket events, String where) {
    this.events = events;
    this.where = where;
    this.thread =
        Thread.ofPlatform().name("route-monitor " + where).daemon(true).unstarted(this::loop);
    thread.start();
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

  @Override
  public Subscription subscribe(Consumer<DefaultRouteEvent> listener, Runnable onLost) {
    Subscriber s = new Subscriber(listener, onLost);
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  private void loop() {
    while (running) {
      try {
        Optional<ByteBuffer> datagram = events.receive(-1, "RTNLGRP_IPV4_ROUTE " + where);
        if (datagram.isPresent()) {
          handle(datagram.get());
        }
      } catch (ErrnoException e) {
        if (!running) {
          break;
        }
        if (e.errno() == Errno.ENOBUFS) {
          overflows.incrementAndGet();
          log.warn("route events overflowed, subscribers re-read the routes netns={}", where);
          lost();
        } else {
          log.error("route monitor stopped netns={} error={}", where, e.getMessage());
          running = false;
        }
      } catch (RuntimeException e) {
        if (running) {
          log.error("route monitor failed netns={}", where, e);
        }
        running = false;
      }
    }
  }

  private void handle(ByteBuffer datagram) {
    List<DefaultRouteEvent> changes;
    try {
      changes = DefaultRouteDecoder.decode(datagram);
    } catch (MalformedMessageException e) {
      // It may have been a default-route change: treat it as lost rather than guess.
      malformed.incrementAndGet();
      log.warn(
          "malformed route event, subscribers re-read the routes netns={} error=\"{}\"",
          where,
          e.getMessage());
      lost();
      return;
    }
    for (DefaultRouteEvent e : changes) {
      deliver(e);
    }
  }

  private void deliver(DefaultRouteEvent e) {
    for (Subscriber s : subscribers) {
      try {
        s.listener().accept(e);
      } catch (RuntimeException ex) {
        log.warn(
            "route listener failed kind={} oif={} netns={}",
            e.kind(),
            e.outputIndexes(),
            where,
            ex);
      }
    }
  }

  private void lost() {
    for (Subscriber s : subscribers) {
      try {
        s.onLost().run();
      } catch (RuntimeException ex) {
        log.warn("route overflow handler failed netns={}", where, ex);
      }
    }
  }

  /** How many times the kernel dropped events (ENOBUFS). */
  public long overflowCount() {
    return overflows.get();
  }

  /** How many datagrams did not decode (each reported to subscribers as lost). */
  public long malformedCount() {
    return malformed.get();
  }

  /** True while the monitor thread runs. */
  public boolean isRunning() {
    return running && thread.isAlive();
  }

  /** Idempotent: a second call returns at once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    running = false;
    try {
      events.wakeup();
    } catch (ErrnoException e) {
      log.warn("cannot wake route monitor netns={} error={}", where, e.getMessage());
    }
    boolean interrupted = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    events.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
