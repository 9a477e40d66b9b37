package io.sriov.deviceplugin.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.deviceplugin.testing.PluginWatcherStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real executable ({@link DevicePluginMain} in its own JVM, on the simulated node) driven by a
 * kubelet stand-in: registered through the plugin watcher, then stopped with SIGTERM as kubelet
 * stops a pod.
 */
class DevicePluginProcessTest {
  @TempDir Path tmp;

  @Test
  void sigtermStopsCleanlyWithExitStatusZeroAndRemovesTheSockets() throws Exception {
    Path registry = Files.createDirectories(tmp.resolve("kubelet/plugins_registry"));
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DevicePluginMain.class.getName());
    cmd.add("--simulated-node");
    cmd.add("--kubelet-dir=" + tmp.resolve("kubelet"));
    cmd.add("--cdi-dir=" + tmp.resolve("cdi"));
    cmd.add("--device-info-dir=" + tmp.resolve("devinfo"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("plugin.log").toFile())
            .start();
    try (UnixTransport transport = new UnixTransport()) {
      PluginWatcherStandIn kubelet = new PluginWatcherStandIn(transport, registry);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (kubelet.sockets().size() < 3 && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(100);
      }
      assertThat(kubelet.registerAll()).as(Files.readString(tmp.resolve("plugin.log"))).hasSize(3);
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(p.exitValue()).as(Files.readString(tmp.resolve("plugin.log"))).isZero();
      try (Stream<Path> left = Files.list(registry)) {
        assertThat(left).isEmpty();
      }
      assertThat(Files.readString(tmp.resolve("plugin.log"))).contains("stopping signal=SIGTERM");
    } finally {
      p.destroyForcibly();
    }
  }
}
