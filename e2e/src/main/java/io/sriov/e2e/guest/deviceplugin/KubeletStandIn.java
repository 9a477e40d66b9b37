package io.sriov.e2e.guest.deviceplugin;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.sriov.deviceplugin.api.v1beta1.AllocateRequest;
import io.sriov.deviceplugin.api.v1beta1.AllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import io.sriov.deviceplugin.api.v1beta1.DevicePluginGrpc;
import io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions;
import io.sriov.deviceplugin.api.v1beta1.Empty;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.deviceplugin.api.v1beta1.RegisterRequest;
import io.sriov.deviceplugin.api.v1beta1.RegistrationGrpc;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plays kubelet's device manager for the device-plugin scenario: the legacy {@code
 * v1beta1.Registration} server on {@code <device-plugins>/kubelet.sock} (accepts every plugin and
 * remembers when), and a client per plugin socket for options, ListAndWatch and Allocate.
 */
public final class KubeletStandIn implements AutoCloseable {

  /** A registration and the {@link System#nanoTime()} it arrived at. */
  public record Registration(RegisterRequest request, long atNanos) {}

  /** A ListAndWatch list and the {@link System#nanoTime()} it arrived at. */
  public record Listing(ListAndWatchResponse response, long atNanos) {}

  private final UnixTransport transport = new UnixTransport();
  private final Path devicePlugins;
  private final BlockingQueue<Registration> registrations = new LinkedBlockingQueue<>();
  private Server server;

  public KubeletStandIn(Path devicePlugins) {
    this.devicePlugins = devicePlugins;
  }

  public KubeletStandIn start() {
    server =
        transport.serve(
            devicePlugins.resolve("kubelet.sock"),
            List.<BindableService>of(
                new RegistrationGrpc.RegistrationImplBase() {
                  @Override
                  public void register(RegisterRequest request, StreamObserver<Empty> out) {
                    registrations.add(new Registration(request, System.nanoTime()));
                    out.onNext(Empty.getDefaultInstance());
                    out.onCompleted();
                  }
                }));
    return this;
  }

  /** The next registration, or null after {@code seconds}. */
  public Registration nextRegistration(int seconds) throws InterruptedException {
    return registrations.poll(seconds, TimeUnit.SECONDS);
  }

  /** Kubelet's client of one plugin, dialling {@code <device-plugins>/<endpoint>}. */
  public Plugin plugin(String endpoint) {
    return new Plugin(transport.dial(devicePlugins.resolve(endpoint)));
  }

  @Override
  public void close() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    transport.close();
  }

  public static final class Plugin implements AutoCloseable {
    private final ManagedChannel channel;
    private final DevicePluginGrpc.DevicePluginBlockingStub stub;
    public final BlockingQueue<Listing> lists = new LinkedBlockingQueue<>();

    private Plugin(ManagedChannel channel) {
      this.channel = channel;
      this.stub = DevicePluginGrpc.newBlockingStub(channel);
    }

    public DevicePluginOptions options() {
      return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
          .getDevicePluginOptions(Empty.getDefaultInstance());
    }

    public AllocateResponse allocate(List<String> ids) {
      return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
          .allocate(
              AllocateRequest.newBuilder()
                  .addContainerRequests(ContainerAllocateRequest.newBuilder().addAllDevicesIds(ids))
                  .build());
    }

    /** Opens the ListAndWatch stream; its lists arrive in {@link #lists}. */
    public void watch() {
      DevicePluginGrpc.newStub(channel)
          .listAndWatch(
              Empty.getDefaultInstance(),
              new StreamObserver<>() {
                @Override
                public void onNext(ListAndWatchResponse r) {
                  lists.add(new Listing(r, System.nanoTime()));
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
              });
    }

    /** The next list, or null after {@code seconds}. */
    public Listing next(int seconds) throws InterruptedException {
      return lists.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
  }
}
