package io.sriov.deviceplugin.testing;

import io.grpc.ManagedChannel;
import io.sriov.deviceplugin.api.pluginregistration.v1.InfoRequest;
import io.sriov.deviceplugin.api.pluginregistration.v1.PluginInfo;
import io.sriov.deviceplugin.api.pluginregistration.v1.RegistrationGrpc;
import io.sriov.deviceplugin.api.pluginregistration.v1.RegistrationStatus;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kubelet's plugin watcher: for each socket in plugins_registry, calls {@code GetInfo} and then
 * {@code NotifyRegistrationStatus} with the verdict the test chooses.
 */
public final class PluginWatcherStandIn {
  private final UnixTransport transport;
  private final Path dir;

  public PluginWatcherStandIn(UnixTransport transport, Path dir) {
    this.transport = transport;
    this.dir = dir;
  }

  /** Registers the plugin on {@code socket}: GetInfo, then Notify(registered, error). */
  public PluginInfo register(Path socket, boolean registered, String error) {
    ManagedChannel ch = transport.dial(socket);
    try {
      RegistrationGrpc.RegistrationBlockingStub stub =
          RegistrationGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS);
      PluginInfo info = stub.getInfo(InfoRequest.getDefaultInstance());
      stub.notifyRegistrationStatus(
          RegistrationStatus.newBuilder().setPluginRegistered(registered).setError(error).build());
      return info;
    } finally {
      ch.shutdownNow();
    }
  }

  /** Registers (accepting) every socket in the directory. */
  public List<PluginInfo> registerAll() {
    List<PluginInfo> out = new ArrayList<>();
    for (Path s : sockets()) {
      out.add(register(s, true, ""));
    }
    return out;
  }

  public List<Path> sockets() {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.sock")) {
      // As kubelet's plugin watcher: hidden files are not plugins.
      s.forEach(
          p -> {
            if (!p.getFileName().toString().startsWith(".")) {
              out.add(p);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }
}
