package io.sriov.daemon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.OperState;
import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.EventSource;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.Subscribers;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Debouncing: one re-check per burst, bounded delay, only events that can be drift. */
class DriftWatchTest {

  /** An event source driven by the test. */
  static final class TestSource<E> implements EventSource<E> {
    final Subscribers<E> subscribers = new Subscribers<>("test");

    @Override
    public Subscription subscribe(Consumer<E> listener, Runnable onLost) {
      return subscribers.add(listener, onLost);
    }

    @Override
    public void close() {}
  }

  private final TestSource<LinkEvent> links = new TestSource<>();
  private final TestSource<DeviceEvent> devices = new TestSource<>();
  private final AtomicInteger rechecks = new AtomicInteger();

  private static DeviceEvent pci(DeviceEvent.Action action) {
    return new DeviceEvent(
        action,
        "pci",
        "/devices/pci0000:00/0000:3b:00.0",
        Optional.of(PciAddress.parse("0000:3b:00.0")),
        Optional.empty());
  }

  private void await(int n, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (rechecks.get() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void aBurstOfEventsIsOneRecheckAfterTheQuietPeriod() throws Exception {
    try (DriftWatch w =
        new DriftWatch(
            Optional.of(links),
            Optional.of(devices),
            Duration.ofMillis(200),
            Duration.ofSeconds(10),
            rechecks::incrementAndGet)) {
      assertThat(w.watching()).isTrue();
      for (int i = 0; i < 20; i++) {
        devices.subscribers.deliver(pci(DeviceEvent.Action.UNBIND));
        links.subscribers.lost();
      }
      Thread.sleep(100);
      assertThat(rechecks).as("still inside the quiet period").hasValue(0);
      await(1, 5000);
      Thread.sleep(400);
      assertThat(rechecks).hasValue(1);
    }
  }

  @Test
  void aFlappingSourceCannotPostponeTheRecheckBeyondMaxDelay() throws Exception {
    try (DriftWatch w =
        new DriftWatch(
            Optional.of(links),
            Optional.empty(),
            Duration.ofMillis(300),
            Duration.ofMillis(600),
            rechecks::incrementAndGet)) {
      long start = System.nanoTime();
      while (rechecks.get() == 0 && System.nanoTime() - start < 5_000_000_000L) {
        links.subscribers.lost(); // every 50 ms: the quiet period never ends
        Thread.sleep(50);
      }
      assertThat(rechecks.get()).isGreaterThanOrEqualTo(1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void deviceEventsThatChangeNoMembershipAreIgnoredAndNoSourcesMeansNotWatching() throws Exception {
    try (DriftWatch w =
        new DriftWatch(
            Optional.empty(),
            Optional.of(devices),
            Duration.ZERO,
            Duration.ZERO,
            rechecks::incrementAndGet)) {
      devices.subscribers.deliver(pci(DeviceEvent.Action.CHANGE));
      devices.subscribers.deliver(pci(DeviceEvent.Action.ONLINE));
      Thread.sleep(200);
      assertThat(rechecks).hasValue(0);
      devices.subscribers.deliver(pci(DeviceEvent.Action.REMOVE));
      await(1, 5000);
      assertThat(rechecks).hasValue(1);
    }
    try (DriftWatch none =
        new DriftWatch(
            Optional.empty(), Optional.empty(), DriftWatch.QUIET, DriftWatch.MAX_DELAY, () -> {})) {
      assertThat(none.watching()).isFalse();
    }
  }

  private static LinkEvent link(
      LinkEvent.Kind kind, int index, String name, OperState state, boolean move) {
    return new LinkEvent(kind, index, InterfaceName.of(name), state, state == OperState.UP, move);
  }

  @Test
  void namespaceMovesAndRenamesAreNoDriftStateChangesAndDeletionsAre() throws Exception {
    try (DriftWatch w =
        new DriftWatch(
            Optional.of(links),
            Optional.of(devices),
            Duration.ZERO,
            Duration.ZERO,
            rechecks::incrementAndGet)) {
      // a VF's netdev as a CNI ADD and DEL move it: out, back, renamed in the host
      links.subscribers.deliver(link(LinkEvent.Kind.REMOVED, 9, "vf1", OperState.DOWN, true));
      links.subscribers.deliver(link(LinkEvent.Kind.PRESENT, 9, "vf1", OperState.DOWN, true));
      links.subscribers.deliver(link(LinkEvent.Kind.CHANGED, 9, "tmp9", OperState.DOWN, false));
      links.subscribers.deliver(link(LinkEvent.Kind.CHANGED, 9, "vf1", OperState.DOWN, false));
      Thread.sleep(200);
      assertThat(rechecks).as("moves and renames").hasValue(0);

      links.subscribers.deliver(link(LinkEvent.Kind.CHANGED, 9, "vf1", OperState.UP, false));
      await(1, 5000);
      assertThat(rechecks).as("the oper state changed").hasValue(1);
      links.subscribers.deliver(link(LinkEvent.Kind.CHANGED, 3, "pf0", OperState.DOWN, false));
      await(2, 5000);
      assertThat(rechecks).as("a link first heard of in a CHANGED event").hasValue(2);
      links.subscribers.deliver(link(LinkEvent.Kind.REMOVED, 9, "vf1", OperState.UP, false));
      await(3, 5000);
      assertThat(rechecks).as("a link deleted, not moved").hasValue(3);
      links.subscribers.deliver(link(LinkEvent.Kind.PRESENT, 12, "vf7", OperState.DOWN, false));
      await(4, 5000);
      assertThat(rechecks).as("a link created").hasValue(4);
    }
  }

  @Test
  void aQuietPeriodLongerThanTheBoundIsRefused() {
    assertThatThrownBy(
            () ->
                new DriftWatch(
                    Optional.empty(),
                    Optional.empty(),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(1),
                    () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("drift debounce: quiet PT2S must be >= 0 and <= maxDelay PT1S");
  }
}
