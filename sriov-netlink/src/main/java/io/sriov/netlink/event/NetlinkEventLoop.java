package io.sriov.netlink.event;

import io.sriov.core.port.EventSource;
import io.sriov.core.port.Subscribers;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.os.Errno;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
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
 * thread and must not block ({@link Subscribers}). Behind {@link NetlinkEventMonitor}.
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

  private final NetlinkSocket socket;
  private final String what;
  private final Decoder<E> decoder;
  private final boolean malformedIsLost;
  private final Subscribers<E> subscribers;
  private final Thread thread;
  private final AtomicLong overflows = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * The loop owns {@code socket} and closes it in {@link #close()}; its thread runs from {@link
   * #start()}.
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
    this.subscribers = new Subscribers<>(what);
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
  }

  /** Starts reading (once the decoder is ready to run on the loop thread). */
  void start() {
    thread.start();
  }

  EventSource.Subscription subscribe(Consumer<E> listener, Runnable onLost) {
    return subscribers.add(listener, onLost);
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
            recovered.get().forEach(subscribers::deliver);
          } else {
            log.warn("events overflowed, subscribers rediscover events=\"{}\"", what);
            subscribers.lost();
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
        subscribers.lost();
      } else {
        log.warn("malformed event skipped events=\"{}\" error=\"{}\"", what, e.getMessage());
      }
      return;
    }
    events.forEach(subscribers::deliver);
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
