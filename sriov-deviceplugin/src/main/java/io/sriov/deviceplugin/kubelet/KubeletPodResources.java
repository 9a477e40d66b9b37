package io.sriov.deviceplugin.kubelet;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.sriov.core.port.PodResources;
import io.sriov.deviceplugin.api.podresources.v1.ContainerDevices;
import io.sriov.deviceplugin.api.podresources.v1.ContainerResources;
import io.sriov.deviceplugin.api.podresources.v1.ListPodResourcesRequest;
import io.sriov.deviceplugin.api.podresources.v1.ListPodResourcesResponse;
import io.sriov.deviceplugin.api.podresources.v1.PodResourcesListerGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link PodResources} from kubelet's PodResources API v1 ({@code List} on {@code
 * /var/lib/kubelet/pod-resources/kubelet.sock}, what {@code kubectl describe node} shows per pod).
 * One channel, dialled at the first call and reused; every call has a deadline, so a hung kubelet
 * delays a caller (a scrape) by at most that. Thread-safe. Close it to release the channel and its
 * event loop.
 */
public final class KubeletPodResources implements PodResources, AutoCloseable {
  /** Kubelet's socket under its root directory. */
  public static final Path SOCKET = Path.of("pod-resources", "kubelet.sock");

  /** Upstream's limit for the answer (16 MiB: every pod of a full node with its devices). */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Path socket;
  private final Duration timeout;
  private final UnixTransport transport = new UnixTransport();
  private ManagedChannel channel;
  private boolean closed;

  /**
   * @param socket kubelet's {@code pod-resources/kubelet.sock}
   * @param timeout deadline of one {@code List} call
   */
  public KubeletPodResources(Path socket, Duration timeout) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      transport.close();
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  public Path socket() {
    return socket;
  }

  @Override
  public List<Assignment> list() throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "kubelet PodResources socket "
              + socket
              + " does not exist (kubelet not running, or the kubelet dir is wrong)");
    }
    ListPodResourcesResponse r;
    try {
      r =
          PodResourcesListerGrpc.newBlockingStub(channel())
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .withMaxInboundMessageSize(MAX_MESSAGE_BYTES)
              .list(ListPodResourcesRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      throw new IOException("List pod resources on " + socket + ": " + describe(e.getStatus()), e);
    }
    return assignments(r);
  }

  /**
   * One assignment per device ID of every container of every pod, in kubelet's order. Indexed
   * loops: a scrape walks every pod of the node, and the generated lists' iterators are objects.
   */
  static List<Assignment> assignments(ListPodResourcesResponse r) {
    List<Assignment> out = new ArrayList<>(r.getPodResourcesCount());
    for (int p = 0; p < r.getPodResourcesCount(); p++) {
      io.sriov.deviceplugin.api.podresources.v1.PodResources pod = r.getPodResources(p);
      for (int c = 0; c < pod.getContainersCount(); c++) {
        ContainerResources container = pod.getContainers(c);
        for (int d = 0; d < container.getDevicesCount(); d++) {
          ContainerDevices devices = container.getDevices(d);
          for (int i = 0; i < devices.getDeviceIdsCount(); i++) {
            out.add(
                new Assignment(
                    pod.getNamespace(),
                    pod.getName(),
                    container.getName(),
                    devices.getResourceName(),
                    devices.getDeviceIds(i)));
          }
        }
      }
    }
    return out;
  }

  private static String describe(io.grpc.Status s) {
    return s.getCode() + (s.getDescription() != null ? ": " + s.getDescription() : "");
  }

  private synchronized ManagedChannel channel() throws IOException {
    if (closed) {
      throw new IOException("kubelet PodResources client for " + socket + " is closed");
    }
    if (channel == null) {
      channel = transport.dial(socket);
    }
    return channel;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.shutdownNow();
    }
    transport.close();
  }
}
