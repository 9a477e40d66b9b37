package io.sriov.e2e.guest.deviceplugin;

import io.grpc.ManagedChannel;
import io.sriov.deviceplugin.api.pluginregistration.v1.InfoRequest;
import io.sriov.deviceplugin.api.pluginregistration.v1.PluginInfo;
import io.sriov.deviceplugin.api.pluginregistration.v1.RegistrationGrpc;
import io.sriov.deviceplugin.api.pluginregistration.v1.RegistrationStatus;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Listing;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Plugin;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Registration;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The kubelet stand-in as a process, for measuring a serving daemon from outside (config-daemon's
 * README, idle cost). Plays both of kubelet's registration paths under {@code <kubelet dir>}: the
 * legacy {@code device-plugins/kubelet.sock} ({@link KubeletStandIn}) and the plugin watcher
 * ({@code plugins_registry}: a new socket there is asked {@code GetInfo}, told {@code
 * NotifyRegistrationStatus(true)}). Each registered plugin's ListAndWatch is opened and every list
 * printed as one line ({@code <time> <resource> <n> devices <m> healthy}) until killed. Usage:
 * {@code KubeletStandInMain <kubelet dir>}.
 */
public final class KubeletStandInMain {
  private KubeletStandInMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: KubeletStandInMain <kubelet dir>");
      System.exit(2);
    }
    Path kubeletDir = Path.of(args[0]);
    Path devicePlugins = kubeletDir.resolve("device-plugins");
    Path registry = kubeletDir.resolve("plugins_registry");
    Files.createDirectories(devicePlugins);
    Files.createDirectories(registry);
    Files.deleteIfExists(devicePlugins.resolve("kubelet.sock"));
    UnixTransport transport = new UnixTransport();
    try (KubeletStandIn kubelet = new KubeletStandIn(devicePlugins).start();
        WatchService watch = FileSystems.getDefault().newWatchService()) {
      registry.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      System.out.println(Instant.now() + " serving " + devicePlugins.resolve("kubelet.sock"));
      Thread.ofPlatform()
          .daemon()
          .name("legacy")
          .start(
              () -> {
                try {
                  while (true) {
                    Registration r = kubelet.nextRegistration(3600);
                    if (r != null) {
                      follow(
                          r.request().getResourceName(), kubelet.plugin(r.request().getEndpoint()));
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Set<Path> seen = new HashSet<>();
      try (Stream<Path> existing = Files.list(registry)) {
        existing.forEach(p -> watcherRegister(transport, kubelet, p, seen));
      }
      while (true) {
        WatchKey key = watch.take();
        for (WatchEvent<?> e : key.pollEvents()) {
          if (e.context() instanceof Path name) {
            watcherRegister(transport, kubelet, registry.resolve(name), seen);
          }
        }
        key.reset();
      }
    }
  }

  /** Kubelet's plugin watcher on one new socket in {@code plugins_registry}. */
  private static void watcherRegister(
      UnixTransport transport, KubeletStandIn kubelet, Path socket, Set<Path> seen) {
    if (!socket.getFileName().toString().endsWith(".sock") || !seen.add(socket)) {
      return;
    }
    ManagedChannel channel = transport.dial(socket);
    try {
      var stub = RegistrationGrpc.newBlockingStub(channel);
      PluginInfo info =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS).getInfo(InfoRequest.getDefaultInstance());
      stub.withDeadlineAfter(10, TimeUnit.SECONDS)
          .notifyRegistrationStatus(
              RegistrationStatus.newBuilder().setPluginRegistered(true).build());
      follow(info.getName(), kubelet.plugin(info.getEndpoint()));
    } catch (RuntimeException e) {
      System.out.println(Instant.now() + " " + socket + ": " + e);
      seen.remove(socket);
    } finally {
      channel.shutdownNow();
    }
  }

  /** Opens the plugin's ListAndWatch and prints its lists on a thread of its own. */
  private static void follow(String resource, Plugin plugin) {
    System.out.println(Instant.now() + " registered " + resource);
    plugin.watch();
    Thread.ofPlatform()
        .daemon()
        .name("watch-" + resource)
        .start(
            () -> {
              try {
                while (true) {
                  Listing l = plugin.next(3600);
                  if (l != null) {
                    long healthy =
                        l.response().getDevicesList().stream()
                            .filter(d -> d.getHealth().equals("Healthy"))
                            .count();
                    System.out.println(
                        Instant.now()
                            + " "
                            + resource
                            + " "
                            + l.response().getDevicesCount()
                            + " devices "
                            + healthy
                            + " healthy");
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }
}
