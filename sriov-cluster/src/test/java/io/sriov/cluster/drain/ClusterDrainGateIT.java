package io.sriov.cluster.drain;

import static io.sriov.cluster.testing.FakeCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.cluster.testing.ApiCallLog;
import io.sriov.cluster.testing.FakeCluster;
import io.sriov.core.port.PodResources;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.engine.DrainGate;
import io.sriov.daemon.plan.DisruptedVf;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drain on fabric8's mock API server (CRUD mode) with several daemons' gates, each on its own
 * node and API client: pool coordination through Leases, watched on the Node objects; eviction
 * through the Eviction API (the mock has none: {@link FakeCluster} answers it as a cluster would,
 * 429 for a PodDisruptionBudget); a daemon killed mid-drain; {@code disableDrain}.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterDrainGateIT {
  static final String RES = "openshift.io/intel_sriov_netdevice";
  static final String VF = "0000:3b:02.0";
  static final List<DisruptedVf> DISRUPTED =
      List.of(
          new DisruptedVf(
              PciAddress.parse("0000:3b:00.0"), 0, PciAddress.parse(VF), "numVfs 4 -> 6"));

  static final Duration LEASE = Duration.ofSeconds(15);
  static final Duration SHORT_LEASE = Duration.ofSeconds(3);

  KubernetesMockServer server;
  KubernetesClient client;
  FakeCluster cluster;
  final List<ScheduledExecutorService> schedulers = new ArrayList<>();
  final List<KubernetesClient> clients = new ArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    cluster = new FakeCluster(server, client);
  }

  @AfterEach
  void tearDown() {
    schedulers.forEach(ExecutorService::shutdownNow);
    clients.forEach(KubernetesClient::close);
    cluster.close();
    ApiCallLog.record(server, ClusterDrainGateIT.class, NS);
  }

  private ClusterDrainGate gate(String node, PodResources kubelet, Duration drainTimeout) {
    return gate(node, kubelet, drainTimeout, Executors.newSingleThreadScheduledExecutor(), LEASE);
  }

  /**
   * @param lease how long a slot outlives its holder: well above the API latency of this shared,
   *     loaded machine (a first request on a new client can take a second or two)
   */
  private ClusterDrainGate gate(
      String node,
      PodResources kubelet,
      Duration drainTimeout,
      ScheduledExecutorService renewer,
      Duration lease) {
    return gate(node, kubelet, drainTimeout, renewer, lease, Clock.systemUTC());
  }

  private ClusterDrainGate gate(
      String node,
      PodResources kubelet,
      Duration drainTimeout,
      ScheduledExecutorService renewer,
      Duration lease,
      Clock clock) {
    schedulers.add(renewer);
    KubernetesClient own = ApiCallLog.daemonClient(server);
    clients.add(own);
    return new ClusterDrainGate(
        own,
        kubelet,
        new ClusterDrainGate.Settings(
            node, NS, "openshift.io", drainTimeout, lease, Duration.ofMillis(50)),
        new DrainMetrics(registry),
        renewer,
        clock);
  }

  /**
   * The system clock, moved forward by {@code step} right after the first reading taken once {@link
   * #armed} is set: everything read after that reading sees the later time.
   */
  static final class SteppingClock extends Clock {
    final AtomicBoolean armed = new AtomicBoolean();
    private final Duration step;
    private volatile Duration offset = Duration.ZERO;

    SteppingClock(Duration step) {
      this.step = step;
    }

    @Override
    public Instant instant() {
      Instant now = Clock.systemUTC().instant().plus(offset);
      if (armed.compareAndSet(true, false)) {
        offset = offset.plus(step);
      }
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** A daemon's pass: asks until admitted, "applies" for {@code applyMs}, releases. */
  private Future<String> daemon(
      ExecutorService pool, ClusterDrainGate gate, String node, long applyMs, List<String> log) {
    return pool.submit(
        () -> {
          int deferred = 0;
          while (true) {
            switch (gate.admit(DISRUPTED)) {
              case DrainGate.Admission.Proceed p -> {
                log.add("apply " + node);
                Thread.sleep(applyMs);
                p.release().run();
                return node + " applied after " + deferred + " deferrals";
              }
              case DrainGate.Admission.Deferred d -> {
                deferred++;
                Thread.sleep(100);
              }
            }
          }
        });
  }

  private Node node(String name) {
    return client.nodes().withName(name).get();
  }

  private static boolean unschedulable(Node n) {
    return Boolean.TRUE.equals(n.getSpec().getUnschedulable());
  }

  @Test
  void threeDaemonsInTheDefaultPoolNeverHaveTwoNodesCordoned() throws Exception {
    List<String> nodes = List.of("node-a", "node-b", "node-c");
    for (String n : nodes) {
      cluster.node(n, Map.of("kubernetes.io/hostname", n));
      cluster.vfPod("app", "pod-" + n, n, RES, VF);
    }
    List<String> log = new CopyOnWriteArrayList<>();
    try (var watch = new FakeCluster.CordonWatch(client)) {
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<String>> runs = new ArrayList<>();
      for (String n : nodes) {
        runs.add(
            daemon(pool, gate(n, cluster.podResources(n), Duration.ofSeconds(10)), n, 300, log));
      }
      for (Future<String> r : runs) {
        assertThat(r.get(30, TimeUnit.SECONDS)).contains("applied");
      }
      pool.shutdown();
      Thread.sleep(200);
      assertThat(watch.maxCordonedAtOnce()).isEqualTo(1);
      assertThat(watch.cordoned).containsExactlyInAnyOrderElementsOf(nodes);
      assertThat(watch.cordonedNow()).isEmpty();
    }
    assertThat(log).hasSize(3);
    assertThat(cluster.evictions)
        .containsExactlyInAnyOrder("app/pod-node-a", "app/pod-node-b", "app/pod-node-c");
    assertThat(client.pods().inNamespace("app").list().getItems()).isEmpty();
    for (String n : nodes) {
      assertThat(node(n).getMetadata().getAnnotations())
          .containsEntry(NodeCordon.STATE, NodeCordon.IDLE)
          .doesNotContainKey(NodeCordon.CORDONED);
    }
    Lease slot = client.leases().inNamespace(NS).withName("sriov-drain.0").get();
    assertThat(slot.getSpec().getHolderIdentity()).isNull();
    assertThat(client.leases().inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(registry.get("sriov.drain.duration").tag("result", "drained").timer().count())
        .isEqualTo(3);
    assertThat(registry.get("sriov.drain.evictions").tag("result", "evicted").counter().count())
        .isEqualTo(3);
  }

  @Test
  void aPercentPoolDrainsThatShareOfItsNodesAtOnce() throws Exception {
    List<String> workers = List.of("w1", "w2", "w3", "w4");
    for (String n : workers) {
      cluster.node(n, Map.of("role", "sriov"));
      cluster.vfPod("app", "pod-" + n, n, RES, VF);
    }
    cluster.node("other", Map.of("role", "infra"));
    cluster.poolConfig("sriov-workers", Map.of("role", "sriov"), new IntOrString("50%"));
    List<String> log = new CopyOnWriteArrayList<>();
    try (var watch = new FakeCluster.CordonWatch(client)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<String>> runs = new ArrayList<>();
      for (String n : workers) {
        runs.add(
            daemon(pool, gate(n, cluster.podResources(n), Duration.ofSeconds(10)), n, 800, log));
      }
      for (Future<String> r : runs) {
        assertThat(r.get(30, TimeUnit.SECONDS)).contains("applied");
      }
      pool.shutdown();
      assertThat(watch.maxCordonedAtOnce()).isEqualTo(2);
      assertThat(watch.cordoned).containsExactlyInAnyOrderElementsOf(workers);
    }
    assertThat(client.leases().inNamespace(NS).list().getItems())
        .extracting(l -> l.getMetadata().getName())
        .containsExactlyInAnyOrder("sriov-drain.sriov-workers.0", "sriov-drain.sriov-workers.1");
  }

  @Test
  void aFullPoolDefersNamingWhoDrains() {
    cluster.node("node-a", Map.of());
    cluster.node("node-b", Map.of());
    cluster.vfPod("app", "pa", "node-a", RES, VF);
    cluster.vfPod("app", "pb", "node-b", RES, VF);
    DrainGate.Admission a =
        gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5)).admit(DISRUPTED);
    assertThat(a).isInstanceOf(DrainGate.Admission.Proceed.class);
    ClusterDrainGate b = gate("node-b", cluster.podResources("node-b"), Duration.ofSeconds(5));
    assertThat(b.admit(DISRUPTED))
        .isEqualTo(
            new DrainGate.Admission.Deferred(
                "default pool (maxUnavailable 1 of 2 nodes = 1): waiting, draining now: node-a"));
    assertThat(unschedulable(node("node-b"))).isFalse();
    ((DrainGate.Admission.Proceed) a).release().run();
    assertThat(b.admit(DISRUPTED)).isInstanceOf(DrainGate.Admission.Proceed.class);
  }

  /**
   * The race clean-clone CI run 29 hit: the holder's lease is live when the waiting daemon tries
   * for a slot and has expired when it then reads who holds the slots (its clock steps past the
   * lease between the two reads). The slot is taken then, not a deferral naming nobody.
   */
  @Test
  void aSlotThatExpiresBetweenTheTryAndTheHoldersReadIsTakenNotDeferredNamingNobody() {
    cluster.node("node-a", Map.of());
    cluster.node("node-b", Map.of());
    cluster.vfPod("app", "pa", "node-a", RES, VF);
    cluster.vfPod("app", "pb", "node-b", RES, VF);
    ScheduledExecutorService aRenewer = Executors.newSingleThreadScheduledExecutor();
    ClusterDrainGate a =
        gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5), aRenewer, LEASE);
    assertThat(a.admit(DISRUPTED)).isInstanceOf(DrainGate.Admission.Proceed.class);
    aRenewer.shutdownNow(); // node-a's daemon dies holding the slot

    SteppingClock clock = new SteppingClock(LEASE.plusSeconds(2));
    ClusterDrainGate b =
        gate(
            "node-b",
            cluster.podResources("node-b"),
            Duration.ofSeconds(5),
            Executors.newSingleThreadScheduledExecutor(),
            LEASE,
            clock);
    b.recover(); // its own start-up reads first, so the step falls inside admit's slot reads
    clock.armed.set(true);
    DrainGate.Admission admitted = b.admit(DISRUPTED);
    assertThat(clock.armed).as("the clock stepped during admit").isFalse();
    assertThat(admitted)
        .as("the slot node-a's lease left is taken in the same admit")
        .isInstanceOf(DrainGate.Admission.Proceed.class);
    assertThat(holder("sriov-drain.0")).isEqualTo("node-b");
    ((DrainGate.Admission.Proceed) admitted).release().run();
  }

  @Test
  void aDaemonKilledMidDrainLosesItsSlotToExpiryAndUncordonsOnRestart() throws Exception {
    cluster.node("node-a", Map.of());
    cluster.node("node-b", Map.of());
    cluster.vfPod("app", "pa", "node-a", RES, VF);
    cluster.vfPod("app", "pb", "node-b", RES, VF);
    ScheduledExecutorService aRenewer = Executors.newSingleThreadScheduledExecutor();
    ClusterDrainGate a =
        gate(
            "node-a", cluster.podResources("node-a"), Duration.ofSeconds(5), aRenewer, SHORT_LEASE);
    assertThat(a.admit(DISRUPTED)).isInstanceOf(DrainGate.Admission.Proceed.class);
    assertThat(unschedulable(node("node-a"))).isTrue();
    // kill -9: no release, no more renewals.
    aRenewer.shutdownNow();
    long killed = System.nanoTime();

    ClusterDrainGate b =
        gate(
            "node-b",
            cluster.podResources("node-b"),
            Duration.ofSeconds(5),
            Executors.newSingleThreadScheduledExecutor(),
            SHORT_LEASE);
    DrainGate.Admission admitted;
    while ((admitted = b.admit(DISRUPTED)) instanceof DrainGate.Admission.Deferred d) {
      assertThat(d.reason()).endsWith("waiting, draining now: node-a");
      assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(20));
      Thread.sleep(100);
    }
    // the slot outlives the last renewal by the lease (3 s); renewals come every third of it, so
    // the last one was at most 1 s before the kill (under load the drain itself takes over 1 s)
    assertThat(Duration.ofNanos(System.nanoTime() - killed))
        .isGreaterThanOrEqualTo(SHORT_LEASE.minus(SHORT_LEASE.dividedBy(3)));
    assertThat(client.leases().inNamespace(NS).withName("sriov-drain.0").get().getSpec())
        .satisfies(s -> assertThat(s.getHolderIdentity()).isEqualTo("node-b"))
        .satisfies(s -> assertThat(s.getLeaseTransitions()).isEqualTo(1));
    // node-a is still cordoned by the dead daemon until it starts again.
    assertThat(unschedulable(node("node-a"))).isTrue();

    ClusterDrainGate restarted =
        gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5));
    assertThat(restarted.recover()).isTrue();
    assertThat(unschedulable(node("node-a"))).isFalse();
    assertThat(node("node-a").getMetadata().getAnnotations())
        .containsEntry(NodeCordon.STATE, NodeCordon.IDLE)
        .doesNotContainKey(NodeCordon.CORDONED);
    assertThat(holder("sriov-drain.0")).isEqualTo("node-b");
    assertThat(restarted.recover()).isFalse();
    ((DrainGate.Admission.Proceed) admitted).release().run();
  }

  @Test
  void theFirstAdmitOfARestartedDaemonRecoversBeforeItTakesASlot() {
    cluster.node("node-a", Map.of());
    cluster.vfPod("app", "pa", "node-a", RES, VF);
    ScheduledExecutorService aRenewer = Executors.newSingleThreadScheduledExecutor();
    gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5), aRenewer, LEASE)
        .admit(DISRUPTED);
    aRenewer.shutdownNow(); // kill -9 mid-drain: cordoned, slot held
    assertThat(unschedulable(node("node-a"))).isTrue();
    // pa was evicted by the dead run; pb holds the VF now, so the restarted run must drain again
    cluster.vfPod("app", "pb", "node-a", RES, VF);

    ClusterDrainGate restarted =
        gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5));
    assertThat(restarted.recovered()).isFalse();
    DrainGate.Admission admission = restarted.admit(DISRUPTED);
    assertThat(restarted.recovered()).isTrue();
    assertThat(admission).isInstanceOf(DrainGate.Admission.Proceed.class);
    // the slot it holds now is this run's: recover() does not run again and free it
    assertThat(restarted.admit(List.of())).isInstanceOf(DrainGate.Admission.Proceed.class);
    assertThat(holder("sriov-drain.0")).isEqualTo("node-a");
    ((DrainGate.Admission.Proceed) admission).release().run();
    assertThat(unschedulable(node("node-a"))).isFalse();
  }

  @Test
  void aRestartBeforeExpiryFreesItsOwnSlotAtOnce() {
    cluster.node("node-a", Map.of());
    cluster.vfPod("app", "pa", "node-a", RES, VF);
    ScheduledExecutorService aRenewer = Executors.newSingleThreadScheduledExecutor();
    gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5), aRenewer, LEASE)
        .admit(DISRUPTED);
    aRenewer.shutdownNow();
    assertThat(gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5)).recover())
        .isTrue();
    assertThat(holder("sriov-drain.0")).isNull();
  }

  @Test
  void anEvictionBlockedByAPodDisruptionBudgetTimesOutUncordonsAndFreesTheSlot() {
    cluster.node("node-a", Map.of());
    cluster.node("node-b", Map.of());
    client
        .pods()
        .inNamespace("db")
        .resource(FakeCluster.pod("db", "primary", "node-a", RES))
        .create();
    cluster.pdbProtected("db", "primary");
    PodResources kubelet =
        () -> List.of(new PodResources.Assignment("db", "primary", "c", RES, VF));
    ClusterDrainGate a = gate("node-a", kubelet, Duration.ofSeconds(1));
    assertThat(a.admit(DISRUPTED))
        .isEqualTo(
            new DrainGate.Admission.Deferred(
                "drain of node node-a timed out after 1 s: pod db/primary: eviction refused (429 Too Many Requests): it would violate a PodDisruptionBudget"));
    Node n = node("node-a");
    assertThat(unschedulable(n)).isFalse();
    assertThat(n.getMetadata().getAnnotations()).containsEntry(NodeCordon.STATE, NodeCordon.IDLE);
    assertThat(client.pods().inNamespace("db").withName("primary").get()).isNotNull();
    assertThat(holder("sriov-drain.0")).isNull();
    assertThat(registry.get("sriov.drain.evictions").tag("result", "refused").counter().count())
        .isGreaterThanOrEqualTo(2);
    assertThat(registry.get("sriov.drain.duration").tag("result", "timed_out").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("sriov.drain.state").tag("state", "idle").gauge().value()).isEqualTo(1);
  }

  @Test
  void disableDrainAdmitsAtOnceWithoutCordonOrEviction() {
    cluster.node("node-a", Map.of());
    cluster.vfPod("app", "pa", "node-a", RES, VF);
    cluster.operatorConfig(true);
    assertThat(
            gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5)).admit(DISRUPTED))
        .isInstanceOf(DrainGate.Admission.Proceed.class);
    assertThat(unschedulable(node("node-a"))).isFalse();
    assertThat(cluster.evictions).isEmpty();
    assertThat(client.leases().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void noDrainWhenNoRunningPodHoldsADisruptedVf() {
    cluster.node("node-a", Map.of());
    cluster.vfPod("app", "other-vf", "node-a", RES, "0000:3b:02.5");
    cluster.operatorConfig(false);
    ClusterDrainGate gate = gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5));
    gate.recover();
    int before = server.getRequestCount();
    assertThat(gate.admit(DISRUPTED)).isInstanceOf(DrainGate.Admission.Proceed.class);
    // kubelet says nobody holds them: not even disableDrain is read
    assertThat(server.getRequestCount() - before).isZero();
    assertThat(unschedulable(node("node-a"))).isFalse();
    assertThat(cluster.evictions).isEmpty();
    assertThat(client.leases().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void aNodeAnAdministratorCordonedStaysCordonedAfterTheDrain() {
    cluster.node("node-a", Map.of());
    client
        .nodes()
        .withName("node-a")
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              return n;
            });
    cluster.vfPod("app", "pa", "node-a", RES, VF);
    var admission =
        gate("node-a", cluster.podResources("node-a"), Duration.ofSeconds(5)).admit(DISRUPTED);
    assertThat(node("node-a").getMetadata().getAnnotations())
        .containsEntry(NodeCordon.STATE, NodeCordon.DRAIN_REQUIRED)
        .doesNotContainKey(NodeCordon.CORDONED);
    ((DrainGate.Admission.Proceed) admission).release().run();
    assertThat(unschedulable(node("node-a"))).isTrue();
    assertThat(node("node-a").getMetadata().getAnnotations())
        .containsEntry(NodeCordon.STATE, NodeCordon.IDLE);
    assertThat(cluster.evictions).containsExactly("app/pa");
  }

  @Test
  void withoutKubeletEveryPodRequestingAnSriovResourceOnTheNodeIsEvicted() {
    cluster.node("node-a", Map.of());
    cluster.vfPod("app", "sriov-1", "node-a", RES, "0000:3b:02.7");
    client
        .pods()
        .inNamespace("app")
        .resource(FakeCluster.pod("app", "plain", "node-a", "cpu"))
        .create();
    // The mock ignores spec.nodeName field selectors (it answers an empty list): a real API server
    // answers this request with the node's pods, so the test states that answer.
    server
        .expect()
        .get()
        .withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a")
        .andReturn(200, client.pods().inNamespace("app").list())
        .always();
    assertThat(gate("node-a", FakeCluster.kubeletDown(), Duration.ofSeconds(5)).admit(DISRUPTED))
        .isInstanceOf(DrainGate.Admission.Proceed.class);
    assertThat(cluster.evictions).containsExactly("app/sriov-1");
  }

  @Test
  void aPoolWhoseShareRoundsToZeroNodesNeverDrains() {
    for (String n : List.of("n1", "n2", "n3", "n4", "n5")) {
      cluster.node(n, Map.of("pool", "small"));
    }
    cluster.vfPod("app", "p", "n1", RES, VF);
    cluster.poolConfig("small", Map.of("pool", "small"), new IntOrString("10%"));
    assertThat(gate("n1", cluster.podResources("n1"), Duration.ofSeconds(5)).admit(DISRUPTED))
        .isEqualTo(
            new DrainGate.Admission.Deferred(
                "pool small (maxUnavailable 10% of 5 nodes = 0): no node of the pool may drain"));
    assertThat(unschedulable(node("n1"))).isFalse();
  }

  @Test
  void aNodeInTwoPoolsIsDeferredNamingThem() {
    cluster.node("n1", Map.of("a", "1", "b", "1"));
    cluster.vfPod("app", "p", "n1", RES, VF);
    cluster.poolConfig("pool-a", Map.of("a", "1"), new IntOrString(1));
    cluster.poolConfig("pool-b", Map.of("b", "1"), new IntOrString(1));
    assertThat(gate("n1", cluster.podResources("n1"), Duration.ofSeconds(5)).admit(DISRUPTED))
        .isEqualTo(
            new DrainGate.Admission.Deferred(
                "node n1 is in more than one SriovNetworkPoolConfig: pool-a, pool-b"));
  }

  @Test
  void anInvalidMaxUnavailableIsDeferredNamingThePool() {
    cluster.node("n1", Map.of("a", "1"));
    cluster.vfPod("app", "p", "n1", RES, VF);
    cluster.poolConfig("pool-a", Map.of("a", "1"), new IntOrString("two"));
    assertThat(gate("n1", cluster.podResources("n1"), Duration.ofSeconds(5)).admit(DISRUPTED))
        .isEqualTo(
            new DrainGate.Admission.Deferred(
                "SriovNetworkPoolConfig pool-a: maxUnavailable: invalid type: strings needs to be a percentage"));
  }

  private String holder(String lease) {
    return client.leases().inNamespace(NS).withName(lease).get().getSpec().getHolderIdentity();
  }
}
