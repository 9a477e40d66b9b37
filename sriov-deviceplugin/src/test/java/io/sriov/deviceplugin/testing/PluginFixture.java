package io.sriov.deviceplugin.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.testing.MutableClock;
import io.sriov.deviceplugin.DevicePluginManager;
import io.sriov.deviceplugin.allocate.InfoProviders;
import io.sriov.deviceplugin.cdi.CdiSpecs;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.devnode.DeviceNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A device plugin manager over temp directories, with a kubelet stand-in at hand. */
public final class PluginFixture implements AutoCloseable {
  public final Path root;
  public final KubeletPaths kubelet;
  public final Path cdiDir;
  public final Path devinfoDir;
  public final UnixTransport transport = new UnixTransport();
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  public final MutableClock clock = new MutableClock();
  public final ExecutorService background = Executors.newSingleThreadExecutor();
  public DevicePluginManager manager;

  public PluginFixture(Path root, RegistrationMode mode, boolean useCdi) {
    this.root = root;
    try {
      this.kubelet =
          new KubeletPaths(
              Files.createDirectories(root.resolve("dp")),
              mode == RegistrationMode.WATCHER
                  ? Files.createDirectories(root.resolve("reg"))
                  : root.resolve("reg"));
      this.cdiDir = Files.createDirectories(root.resolve("cdi"));
      this.devinfoDir = root.resolve("devinfo");
      Files.createDirectories(root.resolve("sys"));
      Files.createDirectories(root.resolve("dev"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    manager =
        new DevicePluginManager(
            new DevicePluginManager.Settings(
                kubelet, mode, useCdi, Duration.ofSeconds(2), Duration.ofMinutes(1)),
            transport,
            new InfoProviders(
                new DeviceNodes(new SysfsRoot(root.resolve("sys"), root.resolve("dev")))),
            new DeviceInfoFiles(devinfoDir),
            new CdiSpecs(cdiDir),
            meters,
            clock,
            background);
  }

  public Path socket(String socketName) {
    return manager.settings().mode() == RegistrationMode.WATCHER
        ? kubelet.pluginsRegistry().resolve(socketName)
        : kubelet.devicePlugins().resolve(socketName);
  }

  public PluginClient client(String socketName) {
    return new PluginClient(transport, socket(socketName));
  }

  public double counter(String name, String resource, String result) {
    var c = meters.find(name).tag("resource", resource).tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    manager.close();
    background.shutdownNow();
    transport.close();
  }
}
