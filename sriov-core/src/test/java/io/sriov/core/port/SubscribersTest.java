package io.sriov.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscribersTest {
  private final Subscribers<String> subs = new Subscribers<>("test events");

  @Test
  void deliversInOrderToEverySubscriberUntilCancelled() {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    EventSource.Subscription sa = subs.add(a::add, () -> {});
    subs.add(b::add, () -> {});
    subs.deliver("one");
    subs.deliver("two");
    sa.close();
    sa.close(); // idempotent
    subs.deliver("three");
    assertThat(a).containsExactly("one", "two");
    assertThat(b).containsExactly("one", "two", "three");
    assertThat(subs.size()).isEqualTo(1);
  }

  @Test
  void aFailingSubscriberDoesNotStopTheOthers() {
    List<String> seen = new ArrayList<>();
    int[] lost = new int[1];
    subs.add(
        e -> {
          throw new IllegalStateException("boom");
        },
        () -> {
          throw new IllegalStateException("boom");
        });
    subs.add(seen::add, () -> lost[0]++);
    subs.deliver("x");
    subs.lost();
    assertThat(seen).containsExactly("x");
    assertThat(lost[0]).isEqualTo(1);
  }

  @Test
  void lostReachesOnlyTheLostHandlers() {
    List<String> seen = new ArrayList<>();
    int[] lost = new int[1];
    subs.add(seen::add, () -> lost[0]++);
    subs.lost();
    subs.lost();
    assertThat(seen).isEmpty();
    assertThat(lost[0]).isEqualTo(2);
  }

  @Test
  void nullsAreRefused() {
    assertThatThrownBy(() -> subs.add(null, () -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listener");
    assertThatThrownBy(() -> subs.add(e -> {}, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("onLost");
  }

  @Test
  void theDefaultSubscribeHasNoLostHandlerToCall() {
    List<String> seen = new ArrayList<>();
    EventSource<String> source =
        new EventSource<>() {
          @Override
          public Subscription subscribe(java.util.function.Consumer<String> l, Runnable onLost) {
            return subs.add(l, onLost);
          }

          @Override
          public void close() {}
        };
    source.subscribe(seen::add);
    subs.lost(); // nothing to call, nothing thrown
    subs.deliver("y");
    assertThat(seen).containsExactly("y");
  }
}
