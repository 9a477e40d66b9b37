package io.sriov.cluster.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sriov.cluster.testing.ApiRequestCounter;
import io.sriov.cluster.testing.MockApiServer;
import io.sriov.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Drain slots as Leases on fabric8's mock API server, with a clock the test moves. */
@EnableKubernetesMockClient(crud = true)
class SlotLeasesIT {
  KubernetesMockServer server;
  KubernetesClient client;
  final MutableClock clock = new MutableClock();

  SlotLeases leases(String holder) {
    return new SlotLeases(client, "ns", "sriov-drain", holder, Duration.ofSeconds(30), clock);
  }

  Lease lease(String name) {
    return client.leases().inNamespace("ns").withName(name).get();
  }

  @Test
  void aHeldSlotIsNotTakenByAnotherUntilItExpires() {
    SlotLeases a = leases("node-a");
    assertThat(a.tryAcquire("", 1)).contains(new SlotLeases.Slot("", 0, "sriov-drain.0"));
    assertThat(lease("sriov-drain.0").getSpec())
        .satisfies(s -> assertThat(s.getHolderIdentity()).isEqualTo("node-a"))
        .satisfies(s -> assertThat(s.getLeaseDurationSeconds()).isEqualTo(30))
        .satisfies(s -> assertThat(s.getLeaseTransitions()).isZero());
    assertThat(lease("sriov-drain.0").getMetadata().getLabels())
        .containsEntry(SlotLeases.GROUP_LABEL, "");
    SlotLeases b = leases("node-b");
    clock.advance(Duration.ofSeconds(30));
    assertThat(b.tryAcquire("", 1)).isEmpty();
    assertThat(b.holders("", 1)).containsExactly("node-a");
    clock.advance(Duration.ofSeconds(1));
    assertThat(b.tryAcquire("", 1)).isPresent();
    assertThat(lease("sriov-drain.0").getSpec().getHolderIdentity()).isEqualTo("node-b");
    assertThat(lease("sriov-drain.0").getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(a.renew(new SlotLeases.Slot("", 0, "sriov-drain.0"))).isFalse();
  }

  @Test
  void renewalKeepsASlotAndReleaseFreesItWithoutATransition() {
    SlotLeases a = leases("node-a");
    SlotLeases.Slot slot = a.tryAcquire("pool-x", 2).orElseThrow();
    assertThat(slot.leaseName()).isEqualTo("sriov-drain.pool-x.0");
    clock.advance(Duration.ofSeconds(20));
    assertThat(a.renew(slot)).isTrue();
    clock.advance(Duration.ofSeconds(20));
    SlotLeases b = leases("node-b");
    assertThat(b.tryAcquire("pool-x", 1)).isEmpty();
    assertThat(b.tryAcquire("pool-x", 2))
        .contains(new SlotLeases.Slot("pool-x", 1, "sriov-drain.pool-x.1"));
    a.release(slot);
    assertThat(lease("sriov-drain.pool-x.0").getSpec().getHolderIdentity()).isNull();
    assertThat(b.holders("pool-x", 2)).containsExactly("node-b");
    SlotLeases c = leases("node-c");
    assertThat(c.tryAcquire("pool-x", 2)).isPresent();
    assertThat(lease("sriov-drain.pool-x.0").getSpec().getLeaseTransitions()).isZero();
  }

  @Test
  void aRestartedHolderRetakesItsOwnSlotAndReleaseAllFreesOnlyItsOwn() {
    leases("node-a").tryAcquire("", 1);
    leases("node-b").tryAcquire("p", 1);
    SlotLeases restarted = leases("node-a");
    assertThat(restarted.tryAcquire("", 1)).isPresent();
    assertThat(restarted.releaseAll()).isEqualTo(1);
    assertThat(lease("sriov-drain.0").getSpec().getHolderIdentity()).isNull();
    assertThat(lease("sriov-drain.p.0").getSpec().getHolderIdentity()).isEqualTo("node-b");
    assertThat(restarted.releaseAll()).isZero();
  }

  @Test
  void manyHoldersRacingForOneSlotLeaveExactlyOneWinner() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Optional<SlotLeases.Slot>>> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      SlotLeases l = leases("node-" + i);
      runs.add(pool.submit((Callable<Optional<SlotLeases.Slot>>) () -> l.tryAcquire("", 1)));
    }
    int winners = 0;
    for (Future<Optional<SlotLeases.Slot>> r : runs) {
      winners += r.get().isPresent() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(winners).isEqualTo(1);
    // The released slot is raced for again: still one winner.
    String holder = lease("sriov-drain.0").getSpec().getHolderIdentity();
    leases(holder).releaseAll();
    pool = Executors.newFixedThreadPool(8);
    runs.clear();
    for (int i = 0; i < 8; i++) {
      SlotLeases l = leases("other-" + i);
      runs.add(pool.submit((Callable<Optional<SlotLeases.Slot>>) () -> l.tryAcquire("", 1)));
    }
    winners = 0;
    for (Future<Optional<SlotLeases.Slot>> r : runs) {
      winners += r.get().isPresent() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(winners).isEqualTo(1);
  }

  @Test
  void anAttemptCostsOneListWhateverTheNumberOfSlots() {
    try (MockApiServer api = MockApiServer.start()) {
      for (int i = 0; i < 10; i++) {
        new SlotLeases(
                api.client(), "ns", "sriov-drain", "node-" + i, Duration.ofSeconds(30), clock)
            .tryAcquire("pool", 10)
            .orElseThrow();
      }
      SlotLeases waiting =
          new SlotLeases(
              api.client(), "ns", "sriov-drain", "node-x", Duration.ofSeconds(30), clock);
      var before = api.requests().snapshot();
      assertThat(waiting.tryAcquire("pool", 10)).isEmpty();
      assertThat(waiting.holders("pool", 10)).hasSize(10);
      assertThat(ApiRequestCounter.since(before, api.requests().snapshot()))
          .extractingFromEntries(e -> e.getKey().verbResource() + "=" + e.getValue())
          .containsExactly("list leases=2");

      clock.advance(Duration.ofSeconds(31)); // every slot expired: one free one is taken
      before = api.requests().snapshot();
      assertThat(waiting.tryAcquire("pool", 10))
          .contains(new SlotLeases.Slot("pool", 1, "sriov-drain.pool.1")); // node-x's offset
      assertThat(ApiRequestCounter.since(before, api.requests().snapshot()))
          .extractingFromEntries(e -> e.getKey().verbResource() + "=" + e.getValue())
          .containsExactlyInAnyOrder("list leases=1", "update leases=1");
    }
  }

  @Test
  void waitingNodesSpreadOverTheSlotsAndALostRaceEndsTheAttempt() {
    try (MockApiServer api = MockApiServer.start()) {
      // node-0 .. node-9 start at ten different slots: each takes the one at its offset
      for (int i = 0; i < 10; i++) {
        String holder = "node-" + i;
        assertThat(
                new SlotLeases(
                        api.client(), "ns", "sriov-drain", holder, Duration.ofSeconds(30), clock)
                    .tryAcquire("pool", 10)
                    .orElseThrow()
                    .index())
            .isEqualTo(Math.floorMod(holder.hashCode(), 10));
      }
      clock.advance(Duration.ofSeconds(31)); // all ten expire
      // node-x (offset 1) loses the race for its slot to a holder that wrote between its list
      // and its update: one write, then it gives up until its next attempt
      api.expect()
          .put()
          .withPath("/apis/coordination.k8s.io/v1/namespaces/ns/leases/sriov-drain.pool.1")
          .andReturn(
              409,
              new StatusBuilder()
                  .withStatus("Failure")
                  .withCode(409)
                  .withReason("Conflict")
                  .withMessage("the object has been modified")
                  .build())
          .once();
      SlotLeases late =
          new SlotLeases(
              api.client(), "ns", "sriov-drain", "node-x", Duration.ofSeconds(30), clock);
      var before = api.requests().snapshot();
      assertThat(late.tryAcquire("pool", 10)).isEmpty();
      assertThat(ApiRequestCounter.since(before, api.requests().snapshot()))
          .extractingFromEntries(e -> e.getKey().verbResource() + "=" + e.getValue())
          .containsExactlyInAnyOrder("list leases=1", "update leases=1");
      assertThat(late.tryAcquire("pool", 10))
          .contains(new SlotLeases.Slot("pool", 1, "sriov-drain.pool.1"));
    }
  }

  @Test
  void aLeaseDurationBelowOneSecondIsRefused() {
    assertThatThrownBy(() -> new SlotLeases(client, "ns", "p", "h", Duration.ofMillis(500), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease duration below 1 s: PT0.5S");
  }
}
