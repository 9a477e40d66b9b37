package io.sriov.deviceplugin;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.config.AdditionalInfo;
import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.config.DeviceType;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.device.Device;
import io.sriov.core.port.DefaultRouteEvent;
import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.NetDeviceSelector;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.config.PoolPlanner;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.PluginFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {
  /**
   * A planner giving each pool of the config every device; a config whose source starts with "bad:
   * " cannot be used (the rest is the message).
   */
  static final class FakePlanner implements PoolPlanner {
    final List<Device> devices = new ArrayList<>(List.of(vf("0000:af:00.0", "ens1f0", 0).build()));

    /** When set, every plan fails with this message (routes that cannot be read). */
    volatile String failWith;

    @Override
    public Plan plan(DevicePluginConfig config) {
      if (failWith != null) {
        throw new PlanException(failWith);
      }
      if (config.source().startsWith("bad: ")) {
        throw new PlanException(config.source().substring(5).strip());
      }
      List<ResourcePool> pools = new ArrayList<>();
      for (ResourceConfig rc : config.resources().resources()) {
        pools.add(
            new ResourcePool(
                PoolSpec.simple("intel.com", rc.name().value(), DeviceKind.NET_DEVICE), devices));
      }
      return new Plan(pools, Set.of(), List.of());
    }
  }

  /** Pools {@code names}, in memory. */
  static DevicePluginConfig pools(String... names) {
    List<ResourceConfig> pools = new ArrayList<>();
    for (String n : names) {
      pools.add(
          new ResourceConfig(
              ResourceName.of(n),
              ResourcePrefix.INTEL,
              DeviceType.NET_DEVICE,
              false,
              List.of(NetDeviceSelector.all()),
              AdditionalInfo.NONE,
              AllocationPolicy.DEFAULT));
    }
    return DevicePluginConfig.of("pools " + String.join(",", names), pools);
  }

  /** A config the planner cannot use, with this message. */
  static DevicePluginConfig bad(String message) {
    return DevicePluginConfig.of("bad: " + message, List.of());
  }

  private static final Reconciler.Timing MANUAL =
      new Reconciler.Timing(Duration.ofHours(1), Duration.ofMillis(1), Duration.ofHours(1));

  @TempDir Path tmp;
  private PluginFixture fx;
  private ScheduledExecutorService scheduler;
  private final FakePlanner planner = new FakePlanner();
  private Reconciler reconciler;

  @BeforeEach
  void setUp() {
    fx = new PluginFixture(tmp, RegistrationMode.WATCHER, false);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    reconciler =
        new Reconciler(planner, fx.manager, Reconciler.Events.NONE, scheduler, fx.meters, MANUAL);
  }

  @AfterEach
  void tearDown() {
    reconciler.close();
    scheduler.shutdownNow();
    fx.close();
  }

  private double reloads(String result) {
    var c = fx.meters.find("sriov.deviceplugin.reloads").tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void badConfigAtStartFailsWithThePlannersMessage() {
    assertThatThrownBy(
            () -> reconciler.start(bad("resourceList[1].resourceName: duplicate name \"a\"")))
        .isInstanceOf(PlanException.class)
        .hasMessage("resourceList[1].resourceName: duplicate name \"a\"");
    assertThat(fx.manager.endpoints()).isEmpty();
  }

  @Test
  void changedConfigIsAppliedAndABadOneKeepsTheLastGood() {
    reconciler.start(pools("a"));
    assertThat(fx.manager.endpoints()).containsOnlyKeys("intel.com/a");

    reconciler.apply(pools("a", "b"));
    assertThat(fx.manager.endpoints()).containsOnlyKeys("intel.com/a", "intel.com/b");
    assertThat(reloads("ok")).isEqualTo(1);

    assertThatThrownBy(() -> reconciler.apply(bad("line 1, column 3: malformed JSON")))
        .isInstanceOf(PlanException.class)
        .hasMessage("line 1, column 3: malformed JSON");
    assertThat(fx.manager.endpoints()).containsOnlyKeys("intel.com/a", "intel.com/b");
    assertThat(reloads("invalid")).isEqualTo(1);

    // A rescan after the bad config still uses the last good config.
    planner.devices.add(vf("0000:af:00.0", "ens1f0", 1).build());
    reconciler.rescan();
    assertThat(fx.manager.advertised().get("intel.com/b").pool().devices())
        .containsOnlyKeys("0000:af:02.0", "0000:af:02.1");

    reconciler.apply(pools("c"));
    assertThat(fx.manager.endpoints()).containsOnlyKeys("intel.com/c");
  }

  @Test
  void aRescanThatCannotPlanKeepsTheCurrentPools() {
    reconciler.start(pools("a"));
    planner.devices.add(vf("0000:af:00.0", "ens1f0", 1).build());
    planner.failWith = "IPv4 default routes: RTM_GETROUTE dump: EPERM";
    reconciler.rescan();
    assertThat(fx.manager.advertised().get("intel.com/a").pool().devices())
        .containsOnlyKeys("0000:af:02.0");
    assertThat(reloads("invalid")).isEqualTo(1);

    planner.failWith = null;
    reconciler.rescan();
    assertThat(fx.manager.advertised().get("intel.com/a").pool().devices())
        .containsOnlyKeys("0000:af:02.0", "0000:af:02.1");
  }

  /** A device event monitor driven by the test: events are delivered on the caller's thread. */
  static final class ManualDeviceEvents implements DeviceEventMonitor {
    volatile Consumer<DeviceEvent> listener = e -> {};
    volatile Runnable onLost = () -> {};

    @Override
    public Subscription subscribe(Consumer<DeviceEvent> l, Runnable lost) {
      listener = l;
      onLost = lost;
      return () -> {};
    }

    @Override
    public void close() {}

    void send(DeviceEvent.Action action, String subsystem) {
      listener.accept(
          new DeviceEvent(
              action,
              subsystem,
              "/devices/pci0000:00/0000:af:00.0",
              Optional.of(PciAddress.parse("0000:af:00.0")),
              Optional.empty()));
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier cond)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private double deviceEvents(String action) {
    var c = fx.meters.find("sriov.deviceplugin.device.events").tag("action", action).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void pciAddRemoveBindUnbindAndLostEventsRescanButChangeAndOtherSubsystemsDoNot()
      throws Exception {
    ManualDeviceEvents events = new ManualDeviceEvents();
    reconciler.close();
    reconciler =
        new Reconciler(
            planner,
            fx.manager,
            new Reconciler.Events(Optional.empty(), Optional.of(events), Optional.empty()),
            scheduler,
            fx.meters,
            MANUAL);
    reconciler.start(pools("a"));
    planner.devices.add(vf("0000:af:00.0", "ens1f0", 1).build());

    events.send(DeviceEvent.Action.CHANGE, "pci");
    events.send(DeviceEvent.Action.ADD, "net");
    events.send(DeviceEvent.Action.BIND, "pci");
    // One event thread in order: when bind is counted, change and the net add were handled.
    await("the rescan after bind", () -> reloads("ok") == 1);
    assertThat(deviceEvents("bind")).isEqualTo(1);
    assertThat(deviceEvents("change")).isZero();
    assertThat(deviceEvents("add")).isZero();
    assertThat(fx.manager.advertised().get("intel.com/a").pool().devices())
        .containsOnlyKeys("0000:af:02.0", "0000:af:02.1");

    for (DeviceEvent.Action a :
        List.of(DeviceEvent.Action.ADD, DeviceEvent.Action.REMOVE, DeviceEvent.Action.UNBIND)) {
      double before = reloads("ok");
      events.send(a, "pci");
      await("the rescan after " + a, () -> reloads("ok") > before);
      assertThat(deviceEvents(a.kernelName())).isEqualTo(1);
    }

    double before = reloads("ok");
    events.onLost.run();
    await("the rescan after lost events", () -> reloads("ok") > before);
  }

  /** A default-route monitor driven by the test: events are delivered on the caller's thread. */
  static final class ManualRouteEvents implements DefaultRouteMonitor {
    volatile Consumer<DefaultRouteEvent> listener = e -> {};
    volatile Runnable onLost = () -> {};
    volatile int subscriptions;

    @Override
    public Subscription subscribe(Consumer<DefaultRouteEvent> l, Runnable lost) {
      listener = l;
      onLost = lost;
      subscriptions++;
      return () -> subscriptions--;
    }

    @Override
    public void close() {}

    void send(DefaultRouteEvent.Kind kind, int oif) {
      listener.accept(new DefaultRouteEvent(kind, List.of(oif)));
    }
  }

  private double routeEvents(String kind) {
    var c = fx.meters.find("sriov.deviceplugin.route.events").tag("kind", kind).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void defaultRouteChangesAndLostRouteEventsEachScheduleOneRescan() throws Exception {
    ManualRouteEvents routes = new ManualRouteEvents();
    ManualDeviceEvents devices = new ManualDeviceEvents();
    reconciler.close();
    reconciler =
        new Reconciler(
            planner,
            fx.manager,
            new Reconciler.Events(Optional.empty(), Optional.of(devices), Optional.of(routes)),
            scheduler,
            fx.meters,
            MANUAL);
    reconciler.start(pools("a"));
    assertThat(routes.subscriptions).isEqualTo(1);
    // The periodic rescan is an hour away and no other event arrives: only the route event can
    // make the new VF appear.
    planner.devices.add(vf("0000:af:00.0", "ens1f0", 1).build());

    routes.send(DefaultRouteEvent.Kind.ADDED, 7);
    await("the rescan after a default route was added", () -> reloads("ok") == 1);
    assertThat(fx.manager.advertised().get("intel.com/a").pool().devices())
        .containsOnlyKeys("0000:af:02.0", "0000:af:02.1");
    assertThat(routeEvents("added")).isEqualTo(1);
    assertThat(deviceEvents("add")).isZero();

    // One event, one rescan: the next event brings the count to exactly two.
    routes.send(DefaultRouteEvent.Kind.REMOVED, 7);
    await("the rescan after a default route was deleted", () -> reloads("ok") >= 2);
    assertThat(reloads("ok")).isEqualTo(2);
    assertThat(routeEvents("removed")).isEqualTo(1);

    routes.onLost.run();
    await("the rescan after lost route events", () -> reloads("ok") >= 3);
    assertThat(reloads("ok")).isEqualTo(3);
    assertThat(routeEvents("lost")).isEqualTo(1);
    assertThat(reloads("invalid")).isZero();

    reconciler.close();
    assertThat(routes.subscriptions).as("close cancels the subscription").isZero();
  }

  @Test
  void anApplyThatFailsIsRetriedWithBackoffUntilItSucceedsAndIsVisibleMeanwhile() throws Exception {
    PluginFixture cdi = new PluginFixture(tmp.resolve("cdi-case"), RegistrationMode.WATCHER, true);
    Reconciler r =
        new Reconciler(
            planner,
            cdi.manager,
            Reconciler.Events.NONE,
            scheduler,
            cdi.meters,
            new Reconciler.Timing(
                Duration.ofHours(1),
                Duration.ofMillis(1),
                Duration.ofHours(1),
                Duration.ofMillis(50)));
    try {
      r.start(pools("a"));
      // The CDI directory is replaced by a file: writing b's spec fails with an I/O error.
      try (var files = Files.list(cdi.cdiDir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(cdi.cdiDir);
      Files.writeString(cdi.cdiDir, "not a directory");
      assertThat(r.apply(pools("a", "b"))).as("the apply failed").isFalse();
      assertThat(cdi.meters.find("sriov.deviceplugin.reloads").tag("result", "error").counter())
          .isNotNull();
      assertThat(cdi.meters.find("sriov.deviceplugin.reload.failing").gauge().value()).isEqualTo(1);
      Thread.sleep(300); // a few retries, still failing
      assertThat(cdi.cdiDir).isRegularFile();
      // The cause is fixed; the config is not touched again.
      Files.delete(cdi.cdiDir);
      Files.createDirectories(cdi.cdiDir);
      Path spec = cdi.cdiDir.resolve("sriov-dp-intel.com-net-pci-b.yaml");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (cdi.meters.find("sriov.deviceplugin.reload.failing").gauge().value() != 0
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(spec).exists();
      assertThat(cdi.meters.find("sriov.deviceplugin.reload.failing").gauge().value()).isZero();
      assertThat(cdi.manager.endpoints()).containsOnlyKeys("intel.com/a", "intel.com/b");
    } finally {
      r.close();
      cdi.close();
    }
  }

  @Test
  void aDeletedSocketIsServedAgainAtOnceWithoutWaitingForTheSupervisionTick() throws Exception {
    reconciler.start(pools("a")); // MANUAL: the supervision tick is an hour away
    Path socket = fx.socket("intel.com_a.sock");
    assertThat(socket).exists();
    Files.delete(socket); // as kubelet does when it restarts
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!Files.exists(socket) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(socket).as("re-served within 5 s through inotify").exists();
  }
}
