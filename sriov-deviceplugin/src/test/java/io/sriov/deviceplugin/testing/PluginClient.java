package io.sriov.deviceplugin.testing;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.sriov.deviceplugin.api.v1beta1.AllocateRequest;
import io.sriov.deviceplugin.api.v1beta1.AllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import io.sriov.deviceplugin.api.v1beta1.ContainerPreferredAllocationRequest;
import io.sriov.deviceplugin.api.v1beta1.Device;
import io.sriov.deviceplugin.api.v1beta1.DevicePluginGrpc;
import io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions;
import io.sriov.deviceplugin.api.v1beta1.Empty;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Kubelet's device-manager side of one plugin socket. */
public final class PluginClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final DevicePluginGrpc.DevicePluginBlockingStub stub;

  public PluginClient(UnixTransport transport, Path socket) {
    this.channel = transport.dial(socket);
    this.stub = DevicePluginGrpc.newBlockingStub(channel);
  }

  public DevicePluginOptions options() {
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .getDevicePluginOptions(Empty.getDefaultInstance());
  }

  public AllocateResponse allocate(List<List<String>> containers) {
    AllocateRequest.Builder b = AllocateRequest.newBuilder();
    containers.forEach(
        c -> b.addContainerRequests(ContainerAllocateRequest.newBuilder().addAllDevicesIds(c)));
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS).allocate(b.build());
  }

  public List<String> preferred(List<String> available, List<String> mustInclude, int size) {
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .getPreferredAllocation(
            PreferredAllocationRequest.newBuilder()
                .addContainerRequests(
                    ContainerPreferredAllocationRequest.newBuilder()
                        .addAllAvailableDeviceIDs(available)
                        .addAllMustIncludeDeviceIDs(mustInclude)
                        .setAllocationSize(size))
                .build())
        .getContainerResponses(0)
        .getDeviceIDsList();
  }

  /** Opens a ListAndWatch stream. */
  public Watch watch() {
    Watch w = new Watch();
    DevicePluginGrpc.newStub(channel).listAndWatch(Empty.getDefaultInstance(), w);
    return w;
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  /** The lists a ListAndWatch stream delivered. */
  public static final class Watch implements StreamObserver<ListAndWatchResponse> {
    public final BlockingQueue<ListAndWatchResponse> lists = new LinkedBlockingQueue<>();
    public final CountDownLatch ended = new CountDownLatch(1);

    /**
     * Next list, or null after 30 s: a bound so a broken plugin fails the test instead of hanging
     * it, generous because builds share slow machines (the normal path returns at once).
     */
    public ListAndWatchResponse next() throws InterruptedException {
      return lists.poll(30, TimeUnit.SECONDS);
    }

    @Override
    public void onNext(ListAndWatchResponse value) {
      lists.add(value);
    }

    @Override
    public void onError(Throwable t) {
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      ended.countDown();
    }

    public boolean awaitEnd() throws InterruptedException {
      return ended.await(5, TimeUnit.SECONDS);
    }
  }

  /** ID to health of a list. */
  public static Map<String, String> health(ListAndWatchResponse r) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Device d : r.getDevicesList()) {
      m.put(d.getID(), d.getHealth());
    }
    return m;
  }
}
