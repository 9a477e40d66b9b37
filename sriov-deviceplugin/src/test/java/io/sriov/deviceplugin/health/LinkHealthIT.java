package io.sriov.deviceplugin.health;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.port.LinkMonitor;
import io.sriov.core.testing.IpCommand;
import io.sriov.core.testing.Prerequisites;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginFixture;
import io.sriov.netlink.event.NetlinkLinkMonitor;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health from the real kernel: a veth pair in a throwaway network namespace plays the PF; taking
 * its peer down drops the PF's carrier, and the VFs' Unhealthy state must reach ListAndWatch within
 * 100 ms of the change (issue 5).
 */
class LinkHealthIT {
  private static final NetnsExecutor EXEC = new NetnsExecutor();

  @TempDir Path tmp;
  private NamedNetns named;
  private NetnsName name;
  private NetNamespace ns;
  private LinkMonitor monitor;
  private LinkMonitor.Subscription subscription;
  private PluginFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    Prerequisites.require(
        Prerequisites.isRoot(),
        "root and the real kernel's network namespaces",
        "not running as root");
    named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
    name = NetnsName.of("sriovit-dp-" + ProcessHandle.current().pid());
    named.create(name);
    ns = named.open(name).orElseThrow();
    ip("link", "add", "pfit0", "type", "veth", "peer", "name", "pfit0p");
    ip("link", "set", "pfit0", "up");
    ip("link", "set", "pfit0p", "up");
    monitor = NetlinkLinkMonitor.start(EXEC, ns);
    fx = new PluginFixture(tmp, RegistrationMode.WATCHER, false);
    fx.manager.loadLinks(monitor.snapshot());
    subscription = monitor.subscribe(fx.manager::onLinkEvent);
    fx.manager.apply(
        List.of(
            new ResourcePool(
                PoolSpec.simple("intel.com", "veth", DeviceKind.NET_DEVICE),
                List.of(
                    vf("0000:af:00.0", "pfit0", 0).build(),
                    vf("0000:af:00.0", "pfit0", 1).build()))),
        Set.of());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (subscription != null) {
      subscription.close();
    }
    if (monitor != null) {
      monitor.close();
    }
    if (fx != null) {
      fx.close();
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

  /** Waits (at most 5 s) for a list whose devices all have {@code health}; returns ms waited. */
  private static long awaitAll(PluginClient.Watch w, String health) throws Exception {
    long t0 = System.nanoTime();
    while (true) {
      ListAndWatchResponse r = w.lists.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a ListAndWatch update with every device " + health).isNotNull();
      if (PluginClient.health(r).values().stream().allMatch(health::equals)) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      }
    }
  }

  @Test
  void pfCarrierLossAndReturnReachListAndWatchWithin100ms() throws Exception {
    try (PluginClient c = fx.client("intel.com_veth.sock")) {
      PluginClient.Watch w = c.watch();
      awaitAll(w, "Healthy");

      ip("link", "set", "pfit0p", "down");
      long down = awaitAll(w, "Unhealthy");
      ip("link", "set", "pfit0p", "up");
      long up = awaitAll(w, "Healthy");
      System.out.println(
          "ListAndWatch update after ip returned: down=" + down + "ms up=" + up + "ms");
      assertThat(down).isLessThan(100);
      assertThat(up).isLessThan(100);
    }
  }

  @Test
  void pfRemovedMakesItsVfsUnhealthy() throws Exception {
    try (PluginClient c = fx.client("intel.com_veth.sock")) {
      PluginClient.Watch w = c.watch();
      awaitAll(w, "Healthy");
      ip("link", "del", "pfit0");
      awaitAll(w, "Unhealthy");
    }
  }
}
