package io.sriov.netlink.event;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.os.Errno;
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
 * The engine of an event monitor: one netlink multicast socket read by one platform thread, each
 * datagram decoded into events for the subscribers. When the socket overflows (ENOBUFS) the decoder
 * may restore the subscribers' view itself ({@link Decoder#afterOverflow}: the link monitor
 * re-reads all links and reports the differences); otherwise the subscribers hear that events were
 * lost. When {@code malformedIsLost}, a datagram that does not decode counts as lost too (it may
 * have carried the event that matters); otherwise it is skipped. Listeners run on the monitor
 * thread and must not block; one that throws is logged and the others still get the event. Used by
 * {@link NetlinkLinkMonitor}, {@link UeventMonitor} and {@link NetlinkDefaultRouteMonitor}.
 */
final class NetlinkEventLoop<E> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetlinkEventLoop.class);

  /** Decodes datagrams into the events worth publishing (none is fine); runs on the loop thread. */
  interface Decoder<E> {
    List<E> decode(ByteBuffer datagram) throws MalformedMessageException;

    /**
     * After an overflow: the events that bring subscribers up to date again, or empty when the
     * decoder cannot tell and subscribers must be told that events were lost.
     */
    default Optional<List<E>> afterOverflow() {
      return Optional.empty();
    }
  }

  private record Subscriber<E>(Consumer<E> listener, Runnable onLost) {}

  private final NetlinkSocket socket;
  private final String what;
  private final Decoder<E> decoder;
  private final boolean malformedIsLost;
  private final List<Subscriber<E>> subscribers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final AtomicLong overflows = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Starts the thread at once; the loop owns {@code socket} and closes it in {@link #close()}.
   *
   * @param what the events and where they come from, for thread name and logs ({@code "route events
   *     netns=/run/netns/x"})
   */
  NetlinkEventLoop(
      NetlinkSocket socket,
      String threadName,
      String what,
      Decoder<E> decoder,
      boolean malformedIsLost) {
    this.socket = socket;
    this.what = what;
    this.decoder = decoder;
    this.malformedIsLost = malformedIsLost;
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
    thread.start();
  }

  /** Adds a subscriber; the returned action removes it. */
  Runnable subscribe(Consumer<E> listener, Runnable onLost) {
    Subscriber<E> s = new Subscriber<>(listener, onLost);
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  private void loop() {
    while (running) {
      try {
        Optional<ByteBuffer> datagram = socket.receive(-1, what);
        if (datagram.isPresent()) {
          handle(datagram.get());
        }
      } catch (ErrnoException e) {
        if (!running) {
          break;
        }
        if (e.errno().equals(Errno.ENOBUFS)) {
          overflows.incrementAndGet();
          Optional<List<E>> recovered = decoder.afterOverflow();
          if (recovered.isPresent()) {
            log.warn("events overflowed, state re-read events=\"{}\"", what);
            recovered.get().forEach(this::deliver);
          } else {
            log.warn("events overflowed, subscribers rediscover events=\"{}\"", what);
            lost();
          }
        } else {
          log.error("event monitor stopped events=\"{}\" error={}", what, e.getMessage());
          running = false;
        }
      } catch (RuntimeException e) {
        if (running) {
          log.error("event monitor failed events=\"{}\"", what, e);
        }
        running = false;
      }
    }
  }

  private void handle(ByteBuffer datagram) {
    List<E> events;
    try {
      events = decoder.decode(datagram);
    } catch (MalformedMessageException e) {
      malformed.incrementAndGet();
      if (malformedIsLost) {
        log.warn(
            "malformed event, subscribers rediscover events=\"{}\" error=\"{}\"",
            what,
            e.getMessage());
        lost();
      } else {
        log.warn("malformed event skipped events=\"{}\" error=\"{}\"", what, e.getMessage());
      }
      return;
    }
    events.forEach(this::deliver);
  }

  private void deliver(E event) {
    for (Subscriber<E> s : subscribers) {
      try {
        s.listener().accept(event);
      } catch (RuntimeException ex) {
        log.warn("event listener failed events=\"{}\" event={}", what, event, ex);
      }
    }
  }

  private void lost() {
    for (Subscriber<E> s : subscribers) {
      try {
        s.onLost().run();
      } catch (RuntimeException ex) {
        log.warn("lost-events handler failed events=\"{}\"", what, ex);
      }
    }
  }

  long overflowCount() {
    return overflows.get();
  }

  long malformedCount() {
    return malformed.get();
  }

  boolean isRunning() {
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
      socket.wakeup();
    } catch (ErrnoException e) {
      log.warn("cannot wake event monitor events=\"{}\" error={}", what, e.getMessage());
    }
    boolean interrupted = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    socket.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
