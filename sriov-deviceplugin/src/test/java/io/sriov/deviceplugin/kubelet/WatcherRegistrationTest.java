package io.sriov.deviceplugin.kubelet;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.deviceplugin.api.pluginregistration.v1.PluginInfo;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginFixture;
import io.sriov.deviceplugin.testing.PluginWatcherStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatcherRegistrationTest {
  private static final String SOCK = "intel.com_sriov_net.sock";
  private static final PoolSpec SPEC =
      PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE);

  @TempDir Path tmp;
  private PluginFixture fx;
  private PluginWatcherStandIn watcher;

  @BeforeEach
  void setUp() {
    fx = new PluginFixture(tmp, RegistrationMode.WATCHER, false);
    watcher = new PluginWatcherStandIn(fx.transport, fx.kubelet.pluginsRegistry());
    fx.manager.apply(
        List.of(
            new ResourcePool(
                SPEC,
                List.of(
                    vf("0000:af:00.0", "ens1f0", 0).build(),
                    vf("0000:af:00.0", "ens1f0", 1).build()))),
        Set.of());
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void modeIsDetectedFromThePluginsRegistryDirectory() {
    assertThat(fx.kubelet.detectMode()).isEqualTo(RegistrationMode.WATCHER);
    assertThat(new KubeletPaths(tmp.resolve("dp"), tmp.resolve("absent")).detectMode())
        .isEqualTo(RegistrationMode.LEGACY);
  }

  @Test
  void pluginWatcherRegistersThePluginThroughGetInfoAndNotify() {
    assertThat(watcher.sockets()).containsExactly(fx.socket(SOCK));
    PluginInfo info = watcher.register(fx.socket(SOCK), true, "");
    assertThat(info.getType()).isEqualTo("DevicePlugin");
    assertThat(info.getName()).isEqualTo("intel.com/sriov_net");
    assertThat(info.getEndpoint()).isEqualTo(fx.socket(SOCK).toString());
    assertThat(info.getSupportedVersionsList()).containsExactly("v1alpha1", "v1beta1");
    assertThat(fx.manager.endpoints().get("intel.com/sriov_net").state())
        .isEqualTo(PluginEndpoint.State.REGISTERED);
    // The same socket serves the device plugin API.
    try (PluginClient c = fx.client(SOCK)) {
      assertThat(c.options().getGetPreferredAllocationAvailable()).isTrue();
    }
  }

  @Test
  void socketRemovedByKubeletIsServedAgainWithTheSameDevices() throws Exception {
    watcher.registerAll();
    Files.delete(fx.socket(SOCK)); // a restarting kubelet empties the directory
    fx.manager.superviseOnce();

    assertThat(watcher.sockets()).containsExactly(fx.socket(SOCK));
    assertThat(watcher.registerAll())
        .extracting(PluginInfo::getName)
        .containsExactly("intel.com/sriov_net");
    try (PluginClient c = fx.client(SOCK)) {
      assertThat(PluginClient.health(c.watch().next()).keySet())
          .containsExactly("0000:af:02.0", "0000:af:02.1");
    }
  }

  @Test
  void rejectedRegistrationStopsTheServerAndRemovesItsSocket() throws Exception {
    watcher.register(fx.socket(SOCK), false, "plugin name intel.com/sriov_net already registered");
    PluginEndpoint ep = fx.manager.endpoints().get("intel.com/sriov_net");
    // The stop runs after the answer, on the background executor.
    fx.background.submit(() -> {}).get(5, TimeUnit.SECONDS);
    assertThat(ep.state()).isEqualTo(PluginEndpoint.State.REJECTED);
    assertThat(ep.lastError()).isEqualTo("plugin name intel.com/sriov_net already registered");
    assertThat(Files.exists(fx.socket(SOCK))).isFalse();
    assertThat(fx.counter("sriov.deviceplugin.registrations", "intel.com/sriov_net", "rejected"))
        .isEqualTo(1);
    fx.manager.superviseOnce();
    assertThat(watcher.sockets()).isEmpty();
  }
}
