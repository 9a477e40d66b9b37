package io.sriov.cluster.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes (then fails naming it). */
public final class Await {
  private Await() {}

  /**
   * Returns once {@code condition} is true; an exception it throws counts as false.
   *
   * @throws AssertionError when it is still false after {@code atMost}
   */
  public static void until(Duration atMost, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + atMost.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError("condition still false after " + atMost, last);
  }
}
