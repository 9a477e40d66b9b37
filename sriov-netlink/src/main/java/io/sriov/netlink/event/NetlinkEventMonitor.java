package io.sriov.netlink.event;

import io.sriov.core.port.EventSource;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the link, uevent and default-route monitors share: an {@link EventSource} over one netlink
 * multicast socket read by one platform thread ({@code NetlinkEventLoop}), with its counters and an
 * idempotent {@link #close()}. A monitor says how a datagram becomes events ({@link #decode}) and,
 * if it can, how to catch up after an overflow ({@link #afterOverflow}); otherwise its subscribers
 * hear {@code onLost}.
 *
 * @param <E> the event type
 */
public abstract sealed class NetlinkEventMonitor<E> implements EventSource<E>
    permits NetlinkLinkMonitor, UeventMonitor, NetlinkDefaultRouteMonitor {

  private final NetlinkEventLoop<E> loop;

  /**
   * The subclass constructor calls {@link #startThread()} last, once {@link #decode} can run.
   *
   * @param malformedIsLost whether a datagram that does not decode counts as lost events (it may
   *     have carried the one that matters) or is skipped
   */
  NetlinkEventMonitor(
      NetlinkSocket socket, String threadName, String what, boolean malformedIsLost) {
    this.loop =
        new NetlinkEventLoop<>(
            socket,
            threadName,
            what,
            new NetlinkEventLoop.Decoder<>() {
              @Override
              public List<E> decode(ByteBuffer datagram) throws MalformedMessageException {
                return NetlinkEventMonitor.this.decode(datagram);
              }

              @Override
              public Optional<List<E>> afterOverflow() {
                return NetlinkEventMonitor.this.afterOverflow();
              }
            },
            malformedIsLost);
  }

  /** Starts the monitor thread. */
  final void startThread() {
    loop.start();
  }

  /** The events worth publishing in one datagram (none is fine); runs on the monitor thread. */
  abstract List<E> decode(ByteBuffer datagram) throws MalformedMessageException;

  /**
   * After an overflow: the events that bring subscribers up to date again, or empty (the default)
   * when subscribers must be told that events were lost.
   */
  Optional<List<E>> afterOverflow() {
    return Optional.empty();
  }

  @Override
  public final Subscription subscribe(Consumer<E> listener, Runnable onLost) {
    return loop.subscribe(listener, onLost);
  }

  /** How many times the kernel dropped events (ENOBUFS). */
  public final long overflowCount() {
    return loop.overflowCount();
  }

  /** How many datagrams did not decode. */
  public final long malformedCount() {
    return loop.malformedCount();
  }

  /** True while the monitor thread runs. */
  public final boolean isRunning() {
    return loop.isRunning();
  }

  /** Idempotent: stops the thread, closes the socket, then {@link #release()}. */
  @Override
  public final void close() {
    loop.close();
    release();
  }

  /** Closes what else the monitor holds (after the thread stopped); may run more than once. */
  void release() {}
}
