package io.sriov.core.port;

import java.util.function.Consumer;

/**
 * A source of node events (link changes, PCI uevents, default-route changes), one shape for all:
 * subscribers are called on the source's own thread, in kernel order, and must not block. Events
 * say that something changed, not the whole state. When the source knows that events were lost (the
 * kernel dropped them: ENOBUFS; or one could not be decoded) and it cannot restore the subscribers'
 * view itself, it calls each subscriber's {@code onLost} instead: the subscriber recovers by
 * re-reading the state. A subscriber that throws is logged and the others still get the event.
 *
 * <p>Implementations keep their subscribers in {@link Subscribers}.
 *
 * @param <E> the event type
 */
public interface EventSource<E> extends AutoCloseable {

  /** As {@link #subscribe(Consumer, Runnable)}, for a subscriber with nothing to re-read. */
  default Subscription subscribe(Consumer<E> listener) {
    return subscribe(listener, () -> {});
  }

  /**
   * Calls {@code listener} for every later event and {@code onLost} when events were lost, both on
   * the source's thread.
   */
  Subscription subscribe(Consumer<E> listener, Runnable onLost);

  /** Stops the source and its thread. Idempotent. */
  @Override
  void close();

  /** Cancels one subscription. Idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
