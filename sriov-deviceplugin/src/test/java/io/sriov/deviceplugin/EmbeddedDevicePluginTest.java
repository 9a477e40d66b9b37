package io.sriov.deviceplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.config.AdditionalInfo;
import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.config.DeviceType;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.NetDeviceSelector;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciId;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.deviceplugin.testing.PluginWatcherStandIn;
import io.sriov.node.Node;
import io.sriov.simulator.SimulatedNodes;
import io.sriov.simulator.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as the config daemon hosts it: one node opened by the host, pools from memory (the
 * daemon renders them from policy), no CLI object, no config file. On the SIMULATED node.
 */
class EmbeddedDevicePluginTest {
  @TempDir Path tmp;

  private EmbeddedDevicePlugin.Options options() throws Exception {
    return new EmbeddedDevicePlugin.Options(
        true,
        new KubeletPaths(
            Files.createDirectories(tmp.resolve("dp")),
            Files.createDirectories(tmp.resolve("reg"))),
        tmp.resolve("cdi"),
        tmp.resolve("devinfo"),
        EmbeddedDevicePlugin.Timings.DEFAULT);
  }

  /** A netDevice pool selecting by driver or vendor, as the daemon's renderer builds one. */
  private static ResourceConfig pool(String name, NetDeviceSelector selector) {
    return new ResourceConfig(
        ResourceName.of(name),
        ResourcePrefix.INTEL,
        DeviceType.NET_DEVICE,
        false,
        List.of(selector),
        AdditionalInfo.NONE,
        AllocationPolicy.DEFAULT);
  }

  private static final ResourceConfig E810 =
      pool("e810", NetDeviceSelector.builder().drivers(List.of(DriverName.of("iavf"))).build());
  private static final ResourceConfig ACC =
      pool("acc", NetDeviceSelector.builder().drivers(List.of(DriverName.of("mlx5_core"))).build());
  private static final ResourceConfig CX6 =
      pool("cx6", NetDeviceSelector.builder().vendors(List.of(PciId.parse("15b3"))).build());

  private static List<Path> list(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private List<String> registered() {
    try (UnixTransport transport = new UnixTransport()) {
      return new PluginWatcherStandIn(transport, tmp.resolve("reg"))
          .registerAll().stream().map(i -> i.getName()).sorted().toList();
    }
  }

  @Test
  void aHostOpensOneNodeStartsTheEngineFromMemoryAndUpdatesIt() throws Exception {
    try (Node node = SimulatedNodes.open(Topology.builtIn())) {
      EmbeddedDevicePlugin plugin =
          EmbeddedDevicePlugin.start(
              options(),
              node,
              new SimpleMeterRegistry(),
              DevicePluginConfig.of("policy e810", List.of(E810)));
      assertThat(registered()).containsExactly("intel.com/e810");
      assertThat(plugin.manager().advertised().get("intel.com/e810").pool().devices())
          .containsOnlyKeys("0000:3c:00.0", "0000:3c:00.1", "0000:3c:00.2", "0000:3c:00.3");
      assertThat(list(tmp.resolve("cdi")))
          .containsExactly(tmp.resolve("cdi/sriov-dp-intel.com-net-pci-e810.yaml"));

      plugin.update(DevicePluginConfig.of("policy e810+cx6", List.of(E810, CX6)));
      assertThat(plugin.manager().endpoints()).containsOnlyKeys("intel.com/e810", "intel.com/cx6");
      assertThat(plugin.manager().advertised().get("intel.com/cx6").pool().devices()).hasSize(2);
      assertThat(registered()).containsExactly("intel.com/cx6", "intel.com/e810");

      assertThatThrownBy(() -> plugin.update(DevicePluginConfig.of("policy none", List.of())))
          .isInstanceOf(PlanException.class)
          .hasMessage("policy none: no resource configuration (resourceList is empty)");
      assertThat(plugin.manager().endpoints())
          .as("the last good pools are kept")
          .containsOnlyKeys("intel.com/e810", "intel.com/cx6");

      plugin.update(DevicePluginConfig.of("policy cx6", List.of(CX6)));
      assertThat(plugin.manager().endpoints()).containsOnlyKeys("intel.com/cx6");

      plugin.close();
      assertThat(list(tmp.resolve("reg"))).isEmpty();
      assertThat(list(tmp.resolve("cdi"))).isEmpty();
      assertThat(node.links()).as("the node stays the host's").isPresent();
    }
  }

  @Test
  void readyOnceEveryPoolIsRegisteredAndAliveWhileSupervising() throws Exception {
    Duration tick = Duration.ofMillis(100);
    Duration slow = Duration.ofMinutes(1);
    EmbeddedDevicePlugin.Options o = options();
    o =
        new EmbeddedDevicePlugin.Options(
            o.useCdi(),
            o.kubelet(),
            o.cdiDir(),
            o.deviceInfoDir(),
            new EmbeddedDevicePlugin.Timings(slow, slow, tick, slow, tick, slow));
    try (Node node = SimulatedNodes.open(Topology.builtIn())) {
      EmbeddedDevicePlugin plugin =
          EmbeddedDevicePlugin.start(
              o,
              node,
              new SimpleMeterRegistry(),
              DevicePluginConfig.of("policy e810+cx6", List.of(E810, CX6)));
      assertThat(plugin.notRegistered())
          .contains(
              "not registered with kubelet: intel.com/e810 (SERVING), intel.com/cx6 (SERVING)");
      assertThat(registered()).containsExactly("intel.com/cx6", "intel.com/e810");
      assertThat(plugin.notRegistered()).isEmpty();
      plugin.update(DevicePluginConfig.of("policy e810+cx6+acc", List.of(E810, CX6, ACC)));
      assertThat(plugin.notRegistered())
          .as("a new pool is not ready until kubelet has registered it")
          .contains("not registered with kubelet: intel.com/acc (SERVING)");

      Thread.sleep(350);
      assertThat(plugin.stalled()).as("supervising every 100 ms").isEmpty();
      plugin.close();
      Thread.sleep(400);
      assertThat(plugin.stalled().orElseThrow())
          .startsWith("reconciler has not supervised for ")
          .endsWith(" ms (limit 300 ms)");
    }
  }

  @Test
  void badConfigLeavesNothingRunning() throws Exception {
    try (Node node = SimulatedNodes.open(Topology.builtIn())) {
      assertThatThrownBy(
              () ->
                  EmbeddedDevicePlugin.start(
                      options(),
                      node,
                      new SimpleMeterRegistry(),
                      DevicePluginConfig.of("policy", List.of())))
          .isInstanceOf(PlanException.class)
          .hasMessage("policy: no resource configuration (resourceList is empty)");
      assertThat(list(tmp.resolve("reg"))).isEmpty();
    }
  }

  @Test
  void timingsMustBePositive() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new EmbeddedDevicePlugin.Timings(Duration.ZERO, s, s, s, s, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("registerTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> new EmbeddedDevicePlugin.Timings(s, s, Duration.ofMillis(-1), s, s, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("debounce must be positive, got PT-0.001S");
    assertThatThrownBy(() -> new EmbeddedDevicePlugin.Timings(s, s, s, null, s, s))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("goneRetention");
    assertThatThrownBy(() -> new EmbeddedDevicePlugin.Timings(s, s, s, s, s, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry must be positive, got PT0S");
  }
}
