package io.sriov.netlink.event;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.netlink.Errno;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.Netlink;
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
 * {@link DeviceEventMonitor} on a NETLINK_KOBJECT_UEVENT socket bound to the kernel's group 1
 * ({@code udevadm monitor --kernel --subsystem-match=pci}): the kernel broadcasts every kobject
 * uevent (add, remove, bind, unbind, change, move...) and one platform thread decodes them with
 * {@link UeventDecoder} and delivers the {@code SUBSYSTEM=pci} ones. Messages from user space (udev
 * re-broadcasts, nl_pid != 0) are dropped by the socket; malformed ones are skipped with a debug
 * log. If the socket overflows (ENOBUFS, events lost), every subscriber's {@code onLost} runs so it
 * can rediscover the devices.
 *
 * <p>Uevents of devices that belong to no network namespace (PCI functions) reach the sockets of
 * every namespace owned by the initial user namespace, so the namespace of the opening thread does
 * not matter for PCI events.
 */
public final class UeventMonitor implements DeviceEventMonitor {
  private static final Logger log = LoggerFactory.getLogger(UeventMonitor.class);

  /** The kernel's uevent multicast group (1); udev re-broadcasts on group 2. */
  public static final int UEVENT_GROUP_KERNEL = 1;

  private record Subscriber(Consumer<DeviceEvent> listener, Runnable onLost) {}

  private final NetlinkSocket events;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final AtomicLong overflows = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;
  private final AtomicBoolean closed = new AtomicBoolean();

  private UeventMonitor(NetlinkSocket events) {
    this.events = events;
    this.thread = Thread.ofPlatform().name("uevent-monitor").daemon(true).unstarted(this::loop);
    thread.start();
  }

  /** Opens the socket (1 MiB kernel buffer) and starts the monitor thread. */
  public static UeventMonitor start() throws ErrnoException {
    return start(NetlinkSocket.DEFAULT_GROUP_SOCKET_BUFFER);
  }

  /**
   * As {@link #start()} with a kernel-side event buffer of {@code socketBufferBytes}: smaller
   * buffers overflow sooner (subscribers then rediscover), larger ones cost kernel memory.
   */
  public static UeventMonitor start(int socketBufferBytes) throws ErrnoException {
    NetlinkSocket events = NetlinkSocket.open(Netlink.NETLINK_KOBJECT_UEVENT, UEVENT_GROUP_KERNEL);
    try {
      events.setKernelReceiveBuffer(socketBufferBytes);
      return new UeventMonitor(events);
    } catch (ErrnoException | RuntimeException e) {
      events.close();
      throw e;
    }
  }

  @Override
  public Subscription subscribe(Consumer<DeviceEvent> listener, Runnable onLost) {
    Subscriber s = new Subscriber(listener, onLost);
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  private void loop() {
    while (running) {
      try {
        Optional<ByteBuffer> datagram = events.receive(-1, "NETLINK_KOBJECT_UEVENT");
        if (datagram.isPresent()) {
          handle(datagram.get());
        }
      } catch (ErrnoException e) {
        if (!running) {
          break;
        }
        if (e.errno() == Errno.ENOBUFS) {
          overflows.incrementAndGet();
          log.warn("device events overflowed, subscribers rediscover");
          lost();
        } else {
          log.error("device event monitor stopped error={}", e.getMessage());
          running = false;
        }
      } catch (RuntimeException e) {
        if (running) {
          log.error("device event monitor failed", e);
        }
        running = false;
      }
    }
  }

  private void handle(ByteBuffer datagram) {
    Optional<DeviceEvent> event;
    try {
      event = UeventDecoder.decode(datagram);
    } catch (MalformedMessageException e) {
      malformed.incrementAndGet();
      log.debug("malformed uevent skipped error=\"{}\"", e.getMessage());
      return;
    }
    if (event.isPresent() && event.get().subsystem().equals("pci")) {
      deliver(event.get());
    }
  }

  private void deliver(DeviceEvent e) {
    for (Subscriber s : subscribers) {
      try {
        s.listener().accept(e);
      } catch (RuntimeException ex) {
        log.warn("device event listener failed action={} devpath={}", e.action(), e.devpath(), ex);
      }
    }
  }

  private void lost() {
    for (Subscriber s : subscribers) {
      try {
        s.onLost().run();
      } catch (RuntimeException ex) {
        log.warn("device event overflow handler failed", ex);
      }
    }
  }

  /** How many times the kernel dropped events (ENOBUFS). */
  public long overflowCount() {
    return overflows.get();
  }

  /** How many datagrams did not decode (skipped). */
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
      log.warn("cannot wake device event monitor error={}", e.getMessage());
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
