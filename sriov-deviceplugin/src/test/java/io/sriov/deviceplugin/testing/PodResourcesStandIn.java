package io.sriov.deviceplugin.testing;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sriov.deviceplugin.api.podresources.v1.ContainerDevices;
import io.sriov.deviceplugin.api.podresources.v1.ContainerResources;
import io.sriov.deviceplugin.api.podresources.v1.ListPodResourcesRequest;
import io.sriov.deviceplugin.api.podresources.v1.ListPodResourcesResponse;
import io.sriov.deviceplugin.api.podresources.v1.PodResources;
import io.sriov.deviceplugin.api.podresources.v1.PodResourcesListerGrpc;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kubelet's PodResources service (v1, from kubelet's published proto) on a Unix socket: answers
 * {@code List} with the pods the test sets, or fails with a status, or never answers.
 */
public final class PodResourcesStandIn implements AutoCloseable {
  private final UnixTransport transport = new UnixTransport();
  private final AtomicReference<ListPodResourcesResponse> answer =
      new AtomicReference<>(ListPodResourcesResponse.getDefaultInstance());
  private final AtomicReference<Status> failure = new AtomicReference<>();
  private volatile boolean hang;
  private final AtomicInteger calls = new AtomicInteger();
  private final Server server;

  public PodResourcesStandIn(Path socket) {
    BindableService service =
        new PodResourcesListerGrpc.PodResourcesListerImplBase() {
          @Override
          public void list(
              ListPodResourcesRequest request, StreamObserver<ListPodResourcesResponse> out) {
            calls.incrementAndGet();
            if (hang) {
              return; // the caller's deadline ends it
            }
            Status s = failure.get();
            if (s != null) {
              out.onError(s.asRuntimeException());
              return;
            }
            out.onNext(answer.get());
            out.onCompleted();
          }
        };
    this.server = transport.serve(socket, List.of(service));
  }

  /** One pod with one container holding {@code deviceIds} of {@code resource}. */
  public static PodResources pod(
      String namespace, String name, String container, String resource, String... deviceIds) {
    return PodResources.newBuilder()
        .setNamespace(namespace)
        .setName(name)
        .addContainers(
            ContainerResources.newBuilder()
                .setName(container)
                .addDevices(
                    ContainerDevices.newBuilder()
                        .setResourceName(resource)
                        .addAllDeviceIds(List.of(deviceIds))))
        .build();
  }

  public void answer(List<PodResources> pods) {
    answer.set(ListPodResourcesResponse.newBuilder().addAllPodResources(pods).build());
    failure.set(null);
    hang = false;
  }

  public void fail(Status status) {
    failure.set(status);
  }

  public void hang() {
    hang = true;
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(2, TimeUnit.SECONDS);
    transport.close();
  }
}
