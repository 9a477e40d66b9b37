package io.sriov.deviceplugin;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.Device;
import io.sriov.core.testing.IpCommand;
import io.sriov.core.testing.Prerequisites;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PoolPlanner;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.PluginFixture;
import io.sriov.netlink.event.NetlinkDefaultRouteMonitor;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.node.DefaultRouteLinks;
import io.sriov.node.NetlinkDefaultRouteLinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window this closes: a default route moved onto a VF's netdev must take that VF out of its
 * pool without waiting for the periodic rescan (an hour away here). Real kernel in a throwaway
 * namespace: the veth {@code rtvf0} stands for the netdev of VF 0000:af:02.0, the real route
 * monitor and the real default-route look-up run inside the namespace, the planner drops the VF
 * whose netdev carries the default route as the config planner does.
 */
class DefaultRouteRescanIT {
  private static final NetnsExecutor EXEC = new NetnsExecutor();
  private static final String VF0 = "0000:af:02.0";
  private static final String VF1 = "0000:af:02.1";

  @TempDir Path tmp;
  private NamedNetns named;
  private NetnsName name;
  private NetNamespace ns;
  private RtnlClient rtnl;
  private NetlinkDefaultRouteMonitor monitor;
  private PluginFixture fx;
  private ScheduledExecutorService scheduler;
  private Reconciler reconciler;

  /** Pool "a" holds both VFs, minus the one whose netdev ({@code rtvf<i>}) is an uplink. */
  private record UplinkAwarePlanner(DefaultRouteLinks uplinks) implements PoolPlanner {
    @Override
    public Plan plan(DevicePluginConfig config) {
      Set<String> skip = uplinks.names();
      List<Device> devices = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        if (!skip.contains("rtvf" + i)) {
          devices.add(vf("0000:af:00.0", "ens1f0", i).build());
        }
      }
      return new Plan(
          List.of(
              new ResourcePool(PoolSpec.simple("intel.com", "a", DeviceKind.NET_DEVICE), devices)),
          // Both were discovered, as the config planner reports them: the uplink is left out of
          // the pool, not mistaken for a vanished device.
          Set.of(VF0, VF1),
          List.of());
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    Prerequisites.require(
        Prerequisites.isRoot(),
        "root and the real kernel's network namespaces",
        "not running as root");
    named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
    name = NetnsName.of("sriovit-rr-" + ProcessHandle.current().pid());
    named.create(name);
    ns = named.open(name).orElseThrow();
    ip("link", "add", "rtvf0", "type", "veth", "peer", "name", "rtpeer0");
    ip("addr", "add", "192.0.2.2/24", "dev", "rtvf0");
    ip("link", "set", "rtvf0", "up");
    ip("link", "set", "rtpeer0", "up");
    rtnl = RtnlClient.open(EXEC, ns);
    monitor = NetlinkDefaultRouteMonitor.start(EXEC, ns);
    fx = new PluginFixture(tmp.resolve("plugin"), RegistrationMode.WATCHER, false);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    reconciler =
        new Reconciler(
            new UplinkAwarePlanner(new NetlinkDefaultRouteLinks(rtnl, rtnl)),
            fx.manager,
            new Reconciler.Events(Optional.empty(), Optional.empty(), Optional.of(monitor)),
            scheduler,
            fx.meters,
            new Reconciler.Timing(Duration.ofHours(1), Duration.ofMillis(1), Duration.ofHours(1)));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (reconciler != null) {
      reconciler.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (monitor != null) {
      monitor.close();
    }
    if (fx != null) {
      fx.close();
    }
    if (rtnl != null) {
      rtnl.close();
    }
    if (ns != null) {
      ns.close();
    }
    if (named != null) {
      named.delete(name);
    }
  }

  private void ip(String... args) throws Exception {
    IpCommand.ip(name.value(), args);
  }

  private Set<String> advertised() {
    return fx.manager.advertised().get("intel.com/a").pool().devices().keySet();
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aDefaultRouteMovedOntoAVfsNetdevWithdrawsItAndBringsItBackWhenItLeaves() throws Exception {
    reconciler.start(DevicePluginConfig.of("any", List.of()));
    assertThat(advertised()).containsExactlyInAnyOrder(VF0, VF1);

    long t0 = System.nanoTime();
    ip("route", "add", "default", "via", "192.0.2.1", "dev", "rtvf0");
    await(
        "VF0 withdrawn after the default route moved onto its netdev",
        () -> !advertised().contains(VF0));
    long micros = (System.nanoTime() - t0) / 1_000;
    System.out.printf("default route to withdrawn VF (ip route add to re-plan) %d us%n", micros);
    assertThat(advertised()).containsExactly(VF1);

    ip("route", "del", "default", "via", "192.0.2.1", "dev", "rtvf0");
    await("VF0 offered again after the default route left", () -> advertised().contains(VF0));
    assertThat(advertised()).containsExactlyInAnyOrder(VF0, VF1);
    assertThat(
            fx.meters
                .find("sriov.deviceplugin.route.events")
                .tag("kind", "added")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
