package io.sriov.daemon.engine;

import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.external;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.retry.Backoff;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.state.SyncStatus;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.daemon.testing.NodeFixture;
import io.sriov.simulator.netlink.SimulatedNetwork;
import io.sriov.simulator.netlink.SimulatedRtnl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving loop on the simulated node: someone else's sysfs writes raise the same uevents and
 * link messages as on a real node, the drift watch turns them into re-checks, the loop repairs and
 * counts; new desired states are applied, rejected ones leave the last good one in force.
 */
class ReconcileLoopTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;
  NodeFixture f;
  NodeEngine engine;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<String> passes = new CopyOnWriteArrayList<>();
  final List<NodeEngine.Pass> finished = new CopyOnWriteArrayList<>();
  ReconcileLoop loop;
  DriftWatch watch;

  final SriovNetworkNodeState desired =
      SriovNetworkNodeState.of(
          "n",
          spec(pf(E810_0, 6, group("net", "netdevice", "0-3"), group("dpdk", "vfio-pci", "4-5"))));

  @BeforeEach
  void setUp() {
    f = new NodeFixture(dir);
    engine =
        new NodeEngine(
            f.observer,
            f.validator,
            f.planner,
            f.applier,
            f.ownership,
            new StatusReporter(),
            meters);
    assertThat(engine.reconcile(desired).succeeded()).isTrue();
    loop =
        new ReconcileLoop(
            engine,
            desired,
            meters,
            (cause, pass) -> {
              passes.add(cause + " " + pass.state().status().syncStatus());
              finished.add(pass);
            });
    watch =
        new DriftWatch(
            f.node.links(),
            f.node.deviceEvents(),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            loop::recheck);
    assertThat(watch.watching()).isTrue();
  }

  @AfterEach
  void tearDown() {
    watch.close();
    loop.close();
    f.node.close();
  }

  private double repairs() {
    return repairs("succeeded");
  }

  private double repairs(String result) {
    Counter c = meters.find(ReconcileLoop.DRIFT_REPAIRS).tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  private void awaitTrue(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(cond.getAsBoolean()).as(what).isTrue();
  }

  /** Waits until the drift watch's quiet period is over and the loop has nothing left to do. */
  private void settle() throws InterruptedException {
    Thread.sleep(1500);
    assertThat(loop.awaitIdle(TIMEOUT.toMillis())).isTrue();
  }

  private int numVfs() {
    return f.observe().pf(E810_0).orElseThrow().numVfs();
  }

  private PciAddress vf(int i) {
    return f.observe().pf(E810_0).orElseThrow().vf(i).orElseThrow().device().address();
  }

  /** Someone else: {@code echo VALUE > FILE} on the node. */
  private void write(Path file, String value) throws Exception {
    f.node.kernel().write(file, value, Duration.ofSeconds(2));
  }

  @Test
  void vfsRemovedBySomeoneElseAreRecreatedAndCountedAsOneRepair() throws Exception {
    settle();
    assertThat(repairs()).as("the first pass's own events are no drift").isZero();
    write(f.node.root().pciAttribute(E810_0, "sriov_numvfs"), "0");
    awaitTrue("repaired", () -> repairs() == 1);
    settle();
    assertThat(numVfs()).isEqualTo(6);
    assertThat(f.node.kernel().driverOf(vf(4))).contains(DriverName.VFIO_PCI);
    assertThat(repairs()).as("the repair's own events re-check and find nothing").isEqualTo(1);
    assertThat(passes).contains("DRIFT Succeeded");
  }

  @Test
  void anUnboundVfDriverIsBoundAgain() throws Exception {
    settle();
    PciAddress vf1 = vf(1);
    write(f.node.root().pciDriverUnbind(DriverName.of("iavf")), vf1.toString());
    awaitTrue("repaired", () -> repairs() == 1);
    settle();
    assertThat(f.node.kernel().driverOf(vf1)).contains(DriverName.of("iavf"));
    assertThat(repairs()).isEqualTo(1);
  }

  /**
   * The status of a pass is what its apply made and verified, not a second look at the node. A VF
   * driver someone else changes after the apply verified its bind (here: while the apply pins the
   * MACs, after the vfio-pci binds) is not hidden: its unbind event is a re-check, which repairs
   * it, and the status that pass publishes is the node again.
   */
  @Test
  void aDriverChangedBehindTheApplyIsRepairedByTheNextReCheckAndTheStatusIsTheNodeAgain()
      throws Exception {
    settle();
    PciAddress vf4 = vf(4);
    f.rtnl.afterNext(
        "setVfs ens1f0 vf 0 mac",
        () -> {
          try {
            write(f.node.root().pciDriverUnbind(DriverName.VFIO_PCI), vf4.toString());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    // someone removes the VFs: the repair re-creates them, binds VF 4 and 5 to vfio-pci, pins the
    // netdevice VFs' MACs, and VF 4 is unbound behind it during the first pin
    int before = finished.size();
    write(f.node.root().pciAttribute(E810_0, "sriov_numvfs"), "0");
    awaitTrue("both drifts repaired", () -> repairs() == 2);
    settle();
    // the repair reported the bind it verified; the unbind behind it was the next re-check's
    assertThat(finished.get(before).state().status().interfaces().get(0).vfs().get(4).driver())
        .isEqualTo("vfio-pci");
    assertThat(f.node.kernel().driverOf(vf4)).contains(DriverName.VFIO_PCI);
    assertThat(repairs()).isEqualTo(2);
    NodeEngine.Pass last = finished.get(finished.size() - 1);
    assertThat(last.state().status().interfaces())
        .isEqualTo(
            new StatusReporter()
                .status(f.observe(), last.desired().orElseThrow(), SyncStatus.SUCCEEDED, "")
                .interfaces());
  }

  /**
   * What a CNI ADD and DEL do to a VF's netdev (down in the host, as a DEL leaves it): into a pod's
   * namespace through a temporary one, renamed and up there, then down, its name back and into the
   * host again, renamed there. None of it is drift: no re-check pass. A PF's carrier lost
   * afterwards still is one (the watch still works).
   */
  @Test
  void aVfMovedIntoAPodNamespaceAndBackIsNoRecheck() throws Exception {
    SimulatedNetwork net = f.node.network();
    Path temp = dir.resolve("netns-temp");
    Path pod = dir.resolve("netns-pod");
    net.createNamespace(temp);
    net.createNamespace(pod);
    InterfaceName hostName =
        f.observe()
            .pf(E810_0)
            .orElseThrow()
            .vf(1)
            .orElseThrow()
            .device()
            .netdev()
            .orElseThrow()
            .name();
    try (SimulatedRtnl host = net.openHost();
        SimulatedRtnl t = net.open(temp);
        SimulatedRtnl p = net.open(pod)) {
      int i = host.link(hostName.value()).orElseThrow().index();
      host.setUp(i, false);
      settle();
      long before = loop.passes();
      host.moveToNamespace(i, temp);
      int inTemp = t.link(hostName.value()).orElseThrow().index();
      t.rename(inTemp, InterfaceName.of("net1"));
      t.moveToNamespace(inTemp, pod);
      int inPod = p.link("net1").orElseThrow().index();
      p.setUp(inPod, true);
      p.setUp(inPod, false);
      p.rename(inPod, hostName);
      p.moveToNamespace(inPod, net.hostNamespace());
      int back = host.link(hostName.value()).orElseThrow().index();
      host.rename(back, InterfaceName.of("sriovtmp1"));
      host.rename(back, hostName);
      settle();
      assertThat(loop.passes()).as("re-check passes after the VF's round trip").isEqualTo(before);
      InterfaceName pfName = f.observe().pf(E810_0).orElseThrow().name().orElseThrow();
      f.node.kernel().setCarrier(pfName, false);
      awaitTrue("a PF's lost carrier is re-checked", () -> loop.passes() > before);
    }
  }

  @Test
  void aRejectedDesiredStateKeepsTheLastGoodOneWhichDriftIsRepairedAgainst() throws Exception {
    settle();
    f.sysfsWrites.clear();
    loop.desiredChanged(SriovNetworkNodeState.of("n", spec(pf(E810_0, 99))));
    assertThat(loop.awaitIdle(TIMEOUT.toMillis())).isTrue();
    assertThat(passes).contains("DESIRED_CHANGED Failed");
    assertThat(f.sysfsWrites).isEmpty();
    assertThat(loop.lastGood()).isEqualTo(desired);

    write(f.node.root().pciAttribute(E810_0, "sriov_numvfs"), "0");
    awaitTrue("repaired", () -> repairs() == 1);
    settle();
    assertThat(numVfs()).isEqualTo(6);
  }

  @Test
  void aNewDesiredStateIsAppliedAndBecomesTheLastGoodOne() throws Exception {
    settle();
    var fewer =
        SriovNetworkNodeState.of("n", spec(pf(E810_0, 2, group("net", "netdevice", "0-1"))));
    loop.desiredChanged(fewer);
    awaitTrue("applied", () -> passes.contains("DESIRED_CHANGED Succeeded"));
    settle();
    assertThat(numVfs()).isEqualTo(2);
    assertThat(loop.lastGood()).isEqualTo(fewer);
    assertThat(repairs()).as("a new desired state is no drift").isZero();
  }

  /** {@link #desired} plus E810_1 declared externally managed with 2 VFs. */
  private static SriovNetworkNodeState withE810_1ExternallyManagedWith2Vfs() {
    return SriovNetworkNodeState.of(
        "n",
        spec(
            pf(E810_0, 6, group("net", "netdevice", "0-3"), group("dpdk", "vfio-pci", "4-5")),
            external(E810_1, 2, 0)));
  }

  @Test
  void aRefusedExternallyManagedPfInForceIsNoFailedRepairAtEachReCheck() throws Exception {
    settle();
    // E810_1 has no VFs: declared externally managed with 2, it is refused (and not touched)
    loop.desiredChanged(withE810_1ExternallyManagedWith2Vfs());
    awaitTrue("applied", () -> passes.contains("DESIRED_CHANGED Failed"));
    settle();
    for (int i = 0; i < 3; i++) {
      loop.recheck();
      assertThat(loop.awaitIdle(TIMEOUT.toMillis())).isTrue();
    }
    assertThat(passes).contains("DRIFT Failed");
    assertThat(repairs("failed")).as("nothing was repaired, nothing new refused").isZero();
    assertThat(repairs("succeeded")).isZero();
    // real drift on the other PF: one repair, succeeded (the standing refusal is not its failure)
    write(f.node.root().pciAttribute(E810_0, "sriov_numvfs"), "0");
    awaitTrue("repaired", () -> repairs() == 1);
    settle();
    assertThat(numVfs()).isEqualTo(6);
    assertThat(repairs("failed")).isZero();
  }

  @Test
  void anExternallyManagedPfThatDriftsIntoARefusalIsOneFailedRepair() throws Exception {
    settle();
    // someone else gives E810_1 two VFs, the spec declares it externally managed with them
    write(f.node.root().pciAttribute(E810_1, "sriov_numvfs"), "2");
    loop.desiredChanged(withE810_1ExternallyManagedWith2Vfs());
    awaitTrue("applied", () -> passes.contains("DESIRED_CHANGED Succeeded"));
    settle();
    // its VFs removed behind the daemon's back: refused now, which the daemon cannot repair
    write(f.node.root().pciAttribute(E810_1, "sriov_numvfs"), "0");
    awaitTrue("counted", () -> repairs("failed") == 1);
    settle();
    loop.recheck();
    assertThat(loop.awaitIdle(TIMEOUT.toMillis())).isTrue();
    assertThat(repairs("failed")).as("the same refusal is counted once").isEqualTo(1);
    assertThat(repairs("succeeded")).isZero();
  }

  @Test
  void aDeferredPassIsAskedAgainWithBackoffUntilTheGateAdmitsIt() throws Exception {
    settle();
    watch.close(); // only the loop's own passes below
    loop.close();
    passes.clear();
    List<Long> askedAt = new CopyOnWriteArrayList<>();
    DrainGate gate =
        vfs -> {
          askedAt.add(System.nanoTime());
          return askedAt.size() < 4
              ? new DrainGate.Admission.Deferred("pool full")
              : new DrainGate.Admission.Proceed(() -> {});
        };
    loop =
        new ReconcileLoop(
            engine,
            desired,
            gate,
            new Backoff.Delays(Duration.ofMillis(100), Duration.ofMillis(250)),
            meters,
            (cause, pass) -> passes.add(cause + " " + pass.state().status().syncStatus()));
    var more = SriovNetworkNodeState.of("n", spec(pf(E810_0, 8, group("net", "netdevice", "0-7"))));
    loop.desiredChanged(more);
    awaitTrue("applied after three deferrals", () -> passes.contains("RETRY Succeeded"));
    assertThat(passes)
        .containsExactly(
            "DESIRED_CHANGED InProgress",
            "RETRY InProgress",
            "RETRY InProgress",
            "RETRY Succeeded");
    assertThat(numVfs()).isEqualTo(8);
    assertThat(loop.retryPending()).isFalse();
    // 100 ms, then doubled to 200 ms, then capped at 250 ms
    assertThat(gapMillis(askedAt, 0)).isGreaterThanOrEqualTo(100);
    assertThat(gapMillis(askedAt, 1)).isGreaterThanOrEqualTo(200);
    assertThat(gapMillis(askedAt, 2)).isGreaterThanOrEqualTo(250);
    assertThat(loop.lastGood()).isEqualTo(more);
    assertThat(repairs()).as("retries are no drift").isZero();
  }

  @Test
  void aNewDesiredStateTakesTheWaitingRetrysPlace() throws Exception {
    settle();
    watch.close();
    loop.close();
    passes.clear();
    loop =
        new ReconcileLoop(
            engine,
            desired,
            vfs -> new DrainGate.Admission.Deferred("pool full"),
            new Backoff.Delays(Duration.ofSeconds(30), Duration.ofSeconds(30)),
            meters,
            (cause, pass) -> passes.add(cause + " " + pass.state().status().syncStatus()));
    loop.desiredChanged(
        SriovNetworkNodeState.of("n", spec(pf(E810_0, 8, group("net", "netdevice", "0-7")))));
    awaitTrue("deferred", loop::retryPending);
    // back to what the node has: nothing disrupted, so the gate is not asked
    loop.desiredChanged(desired);
    awaitTrue("applied", () -> passes.contains("DESIRED_CHANGED Succeeded"));
    settle();
    assertThat(passes).containsExactly("DESIRED_CHANGED InProgress", "DESIRED_CHANGED Succeeded");
    assertThat(loop.retryPending()).isFalse();
    assertThat(numVfs()).isEqualTo(6);
  }

  private static long gapMillis(List<Long> nanos, int i) {
    return (nanos.get(i + 1) - nanos.get(i)) / 1_000_000;
  }
}
