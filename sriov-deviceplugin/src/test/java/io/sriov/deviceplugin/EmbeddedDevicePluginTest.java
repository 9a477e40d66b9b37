package io.sriov.deviceplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.node.NodeAccess;
import io.sriov.deviceplugin.node.SysfsNodeFactory;
import io.sriov.deviceplugin.testing.PluginWatcherStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin as a host process (the config daemon) embeds it, on the SIMULATED node. */
class EmbeddedDevicePluginTest {
  @TempDir Path tmp;

  private EmbeddedDevicePlugin.Options options(Path config) throws Exception {
    return new EmbeddedDevicePlugin.Options(
        config,
        ResourcePrefix.INTEL,
        true,
        new KubeletPaths(
            Files.createDirectories(tmp.resolve("dp")),
            Files.createDirectories(tmp.resolve("reg"))),
        tmp.resolve("cdi"),
        tmp.resolve("devinfo"));
  }

  private static List<Path> list(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void startsServesAndCleansUpOnClose() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("config.json"),
            "{\"resourceList\": [{\"resourceName\": \"e810\", \"selectors\": {\"pfNames\":"
                + " [\"ens1f0\"]}}]}");
    try (NodeAccess node =
        new SysfsNodeFactory().open(CommandLine.parse(List.of("--simulated-node")))) {
      EmbeddedDevicePlugin plugin =
          EmbeddedDevicePlugin.start(options(config), node, new SimpleMeterRegistry());
      try (var transport = new io.sriov.deviceplugin.kubelet.UnixTransport()) {
        assertThat(new PluginWatcherStandIn(transport, tmp.resolve("reg")).registerAll())
            .extracting(i -> i.getName())
            .containsExactly("intel.com/e810");
      }
      assertThat(list(tmp.resolve("cdi")))
          .containsExactly(tmp.resolve("cdi/sriov-dp-intel.com-net-pci-e810.yaml"));
      plugin.close();
      assertThat(list(tmp.resolve("reg"))).isEmpty();
      assertThat(list(tmp.resolve("cdi"))).isEmpty();
    }
  }

  @Test
  void badConfigLeavesNothingRunning() throws Exception {
    Path config = Files.writeString(tmp.resolve("config.json"), "{\"resourceList\": []}");
    try (NodeAccess node =
        new SysfsNodeFactory().open(CommandLine.parse(List.of("--simulated-node")))) {
      assertThatThrownBy(
              () -> EmbeddedDevicePlugin.start(options(config), node, new SimpleMeterRegistry()))
          .isInstanceOf(PlanException.class)
          .hasMessage(config + ": no resource configuration (resourceList is empty)");
      assertThat(list(tmp.resolve("reg"))).isEmpty();
    }
  }
}
