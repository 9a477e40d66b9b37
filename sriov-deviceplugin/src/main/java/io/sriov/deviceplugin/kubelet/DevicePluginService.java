package io.sriov.deviceplugin.kubelet;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sriov.deviceplugin.allocate.Allocator;
import io.sriov.deviceplugin.allocate.InvalidAllocationException;
import io.sriov.deviceplugin.allocate.PreparedDevice;
import io.sriov.deviceplugin.allocate.PreparedPool;
import io.sriov.deviceplugin.api.v1beta1.AllocateRequest;
import io.sriov.deviceplugin.api.v1beta1.AllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import io.sriov.deviceplugin.api.v1beta1.ContainerPreferredAllocationRequest;
import io.sriov.deviceplugin.api.v1beta1.ContainerPreferredAllocationResponse;
import io.sriov.deviceplugin.api.v1beta1.Device;
import io.sriov.deviceplugin.api.v1beta1.DevicePluginGrpc;
import io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions;
import io.sriov.deviceplugin.api.v1beta1.Empty;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.deviceplugin.api.v1beta1.NUMANode;
import io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest;
import io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse;
import io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest;
import io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse;
import io.sriov.deviceplugin.api.v1beta1.TopologyInfo;
import io.sriov.deviceplugin.devinfo.DeviceInfoFiles;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.preferred.PreferredAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code v1beta1.DevicePlugin} service of one pool. The advertised pool is swapped atomically
 * by {@link #update}; every open ListAndWatch stream then receives the new list if it changed.
 */
public final class DevicePluginService extends DevicePluginGrpc.DevicePluginImplBase {
  private static final Logger log = LoggerFactory.getLogger(DevicePluginService.class);
  public static final String HEALTHY = "Healthy";
  public static final String UNHEALTHY = "Unhealthy";

  private final Allocator allocator;
  private final PreferredAllocator preferred = new PreferredAllocator();
  private final DeviceInfoFiles deviceInfo;
  private final MeterRegistry meters;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private volatile AdvertisedPool current;
  private volatile ListAndWatchResponse listing;

  public DevicePluginService(
      AdvertisedPool initial,
      Allocator allocator,
      DeviceInfoFiles deviceInfo,
      MeterRegistry meters) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.deviceInfo = Objects.requireNonNull(deviceInfo, "deviceInfo");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.current = Objects.requireNonNull(initial, "initial");
    this.listing = listing(initial);
  }

  public AdvertisedPool current() {
    return current;
  }

  /** The device list ListAndWatch sends for {@code pool}. */
  public static ListAndWatchResponse listing(AdvertisedPool advertised) {
    ListAndWatchResponse.Builder b = ListAndWatchResponse.newBuilder();
    boolean topology = !advertised.pool().spec().excludeTopology();
    for (PreparedDevice d : advertised.pool().devices().values()) {
      Device.Builder dev =
          Device.newBuilder()
              .setID(d.id())
              .setHealth(advertised.unhealthy().contains(d.id()) ? UNHEALTHY : HEALTHY);
      if (topology && d.device().numaNode().isPresent()) {
        dev.setTopology(
            TopologyInfo.newBuilder()
                .addNodes(NUMANode.newBuilder().setID(d.device().numaNode().getAsInt())));
      }
      b.addDevices(dev);
    }
    return b.build();
  }

  /** Swaps the advertised pool and pushes the new list to every stream if it changed. */
  public void update(AdvertisedPool next) {
    ListAndWatchResponse r = listing(next);
    current = next;
    if (r.equals(listing)) {
      return;
    }
    listing = r;
    for (Watch w : watches) {
      w.push();
    }
  }

  /** Ends every ListAndWatch stream (the server is stopping). */
  public void closeStreams() {
    for (Watch w : watches) {
      w.complete();
    }
    watches.clear();
  }

  public int openStreams() {
    return watches.size();
  }

  @Override
  public void getDevicePluginOptions(Empty request, StreamObserver<DevicePluginOptions> out) {
    out.onNext(options());
    out.onCompleted();
  }

  public static DevicePluginOptions options() {
    return DevicePluginOptions.newBuilder()
        .setPreStartRequired(false)
        .setGetPreferredAllocationAvailable(true)
        .build();
  }

  @Override
  public void listAndWatch(Empty request, StreamObserver<ListAndWatchResponse> out) {
    Watch w = new Watch((ServerCallStreamObserver<ListAndWatchResponse>) out);
    ((ServerCallStreamObserver<ListAndWatchResponse>) out)
        .setOnCancelHandler(() -> watches.remove(w));
    watches.add(w);
    w.push();
    log.debug("ListAndWatch opened resource={}", current.pool().spec().fullName());
  }

  @Override
  public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> out) {
    PreparedPool pool = current.pool();
    String resource = pool.spec().fullName();
    Timer.Sample sample = Timer.start(meters);
    String result = "ok";
    try {
      // Check every container first: a bad ID fails the whole call with nothing changed.
      List<List<String>> containers = new ArrayList<>();
      for (ContainerAllocateRequest c : request.getContainerRequestsList()) {
        containers.add(c.getDevicesIdsList());
      }
      List<List<PreparedDevice>> resolved = allocator.resolveAll(pool, containers);
      AllocateResponse.Builder resp = AllocateResponse.newBuilder();
      for (List<PreparedDevice> devices : resolved) {
        resp.addContainerResponses(allocator.respond(pool, devices));
      }
      if (pool.spec().kind() == DeviceKind.NET_DEVICE) {
        for (List<PreparedDevice> devices : resolved) {
          for (PreparedDevice d : devices) {
            deviceInfo.write(pool.spec(), d.device(), d.needs());
          }
        }
      }
      out.onNext(resp.build());
      out.onCompleted();
      // Every ID was resolved to a pool device: they are safe to log as they are.
      log.info("allocated resource={} devices={}", resource, ids(request));
    } catch (InvalidAllocationException e) {
      result = "invalid";
      log.warn("allocate rejected resource={} reason=\"{}\"", resource, e.getMessage());
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (RuntimeException e) {
      result = "error";
      log.error("allocate failed resource={} error=\"{}\"", resource, e.toString());
      out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
    } finally {
      sample.stop(
          Timer.builder("sriov.deviceplugin.allocate")
              .description("Allocate calls from kubelet, by result.")
              .tag("resource", resource)
              .tag("result", result)
              .register(meters));
    }
  }

  private static List<String> ids(AllocateRequest r) {
    List<String> ids = new ArrayList<>();
    r.getContainerRequestsList().forEach(c -> ids.addAll(c.getDevicesIdsList()));
    return ids;
  }

  @Override
  public void getPreferredAllocation(
      PreferredAllocationRequest request, StreamObserver<PreferredAllocationResponse> out) {
    PreparedPool pool = current.pool();
    PreferredAllocationResponse.Builder resp = PreferredAllocationResponse.newBuilder();
    for (ContainerPreferredAllocationRequest c : request.getContainerRequestsList()) {
      resp.addContainerResponses(
          ContainerPreferredAllocationResponse.newBuilder()
              .addAllDeviceIDs(
                  preferred.choose(
                      pool,
                      c.getAvailableDeviceIDsList(),
                      c.getMustIncludeDeviceIDsList(),
                      c.getAllocationSize())));
    }
    out.onNext(resp.build());
    out.onCompleted();
  }

  @Override
  public void preStartContainer(
      PreStartContainerRequest request, StreamObserver<PreStartContainerResponse> out) {
    out.onNext(PreStartContainerResponse.getDefaultInstance());
    out.onCompleted();
  }

  /** One ListAndWatch stream. Sends are serialised and always carry the newest list. */
  private final class Watch {
    private final ServerCallStreamObserver<ListAndWatchResponse> out;
    private ListAndWatchResponse sent;
    private boolean done;

    Watch(ServerCallStreamObserver<ListAndWatchResponse> out) {
      this.out = out;
    }

    synchronized void push() {
      ListAndWatchResponse latest = listing;
      if (done || latest == sent) {
        return;
      }
      try {
        out.onNext(latest);
        sent = latest;
      } catch (RuntimeException e) {
        // A broken stream ends only itself; kubelet reopens it (upstream issue 648).
        done = true;
        watches.remove(this);
        log.warn(
            "ListAndWatch send failed resource={} error=\"{}\"",
            current.pool().spec().fullName(),
            e.toString());
      }
    }

    synchronized void complete() {
      if (!done) {
        done = true;
        try {
          out.onCompleted();
        } catch (RuntimeException ignored) {
          // Already cancelled by the peer.
        }
      }
    }
  }
}
