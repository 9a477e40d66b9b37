package io.sriov.core.port;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one {@link EventSource}: added and cancelled from any thread, called by the
 * source's thread. A subscriber that throws is logged; the others are still called.
 *
 * @param <E> the event type
 */
public final class Subscribers<E> {
  private static final Logger log = LoggerFactory.getLogger(Subscribers.class);

  private record Subscriber<E>(Consumer<E> listener, Runnable onLost) {}

  private final String source;
  private final List<Subscriber<E>> subscribers = new CopyOnWriteArrayList<>();

  /**
   * @param source the source, for logs ({@code "RTNLGRP_LINK netns=/run/netns/x"})
   */
  public Subscribers(String source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** Adds a subscriber; closing the returned subscription removes it. */
  public EventSource.Subscription add(Consumer<E> listener, Runnable onLost) {
    Subscriber<E> s =
        new Subscriber<>(
            Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(onLost, "onLost"));
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  /** Calls every subscriber's listener with {@code event}. */
  public void deliver(E event) {
    for (Subscriber<E> s : subscribers) {
      try {
        s.listener().accept(event);
      } catch (RuntimeException e) {
        log.warn("event listener failed events=\"{}\" event={}", source, event, e);
      }
    }
  }

  /** Tells every subscriber that events were lost. */
  public void lost() {
    for (Subscriber<E> s : subscribers) {
      try {
        s.onLost().run();
      } catch (RuntimeException e) {
        log.warn("lost-events handler failed events=\"{}\"", source, e);
      }
    }
  }

  public int size() {
    return subscribers.size();
  }

  @Override
  public String toString() {
    return "Subscribers[" + source + ", " + subscribers.size() + "]";
  }
}
