package io.sriov.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.PodResources;
import io.sriov.observability.pool.PoolSource;
import io.sriov.observability.vf.VfInventory;
import io.sriov.observability.vf.VfTraffic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics read at scrape time, in one pass: per-VF traffic ({@link VfTraffic}), which pod holds
 * which VF ({@code sriov_kubepoddevice}, upstream exporter's name and labels: {@code pciAddr},
 * {@code dev_type} (the resource), {@code pod}, {@code namespace}, {@code container}), and pool
 * usage ({@code sriov_pool_capacity}, {@code sriov_pool_healthy}, {@code sriov_pool_allocated} per
 * {@code resource}). Kubelet's PodResources is listed once per scrape for both; when it cannot be
 * read the pod join and {@code sriov_pool_allocated} are left out (unknown is not zero) and {@code
 * sriov.podresources.errors} counts it.
 *
 * <p>The pod join is limited to devices of this node's VFs or pools, which bounds its series by the
 * VF count like the per-VF ones. The VF inventory (which PFs and VFs exist) comes from discovery,
 * refreshed by {@link #refreshInventory} after each apply and periodically, never per scrape.
 */
public final class NodeCollector implements MultiCollector {
  private static final Logger log = LoggerFactory.getLogger(NodeCollector.class);

  public static final String POD_DEVICE = "sriov_kubepoddevice";
  public static final String POOL_CAPACITY = "sriov_pool_capacity";
  public static final String POOL_HEALTHY = "sriov_pool_healthy";
  public static final String POOL_ALLOCATED = "sriov_pool_allocated";

  private final DeviceDiscovery discovery;
  private final VfTraffic traffic;
  private final PodResources pods;
  private final PoolSource pools;
  private final Counter podErrors;
  private final AtomicReference<VfInventory> inventory = new AtomicReference<>(VfInventory.EMPTY);
  private final AtomicReference<String> lastPodError = new AtomicReference<>();
  private volatile InventoryIds inventoryIds;
  // the pod join's labels of the last scrape (scrapes may run concurrently: each replaces it whole)
  private volatile Map<PodResources.Assignment, Labels> podLabels = Map.of();

  private static final MetricMetadata POD_DEVICE_METADATA =
      new MetricMetadata(
          POD_DEVICE,
          "Virtual functions linked to active pods (1 per device held by a container).",
          null);

  public NodeCollector(
      DeviceDiscovery discovery,
      VfTraffic traffic,
      PodResources pods,
      PoolSource pools,
      MeterRegistry meters) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.traffic = Objects.requireNonNull(traffic, "traffic");
    this.pods = Objects.requireNonNull(pods, "pods");
    this.pools = Objects.requireNonNull(pools, "pools");
    this.podErrors =
        Counter.builder("sriov.podresources.errors")
            .description("Scrapes at which kubelet's PodResources List failed.")
            .register(meters);
  }

  /** Every metric name this collector can export (the per-VF ones, the pod join, the pools). */
  public static List<String> names() {
    return Stream.concat(
            VfTraffic.names().stream(),
            Stream.of(POD_DEVICE, POOL_CAPACITY, POOL_HEALTHY, POOL_ALLOCATED))
        .toList();
  }

  /** Re-reads which PFs and VFs exist (a full discovery walk); call after the node changed. */
  public VfInventory refreshInventory() {
    VfInventory next = VfInventory.of(discovery.discoverAll());
    VfInventory before = inventory.getAndSet(next);
    if (before.vfCount() != next.vfCount() || before.pfs().size() != next.pfs().size()) {
      log.info("VF inventory pfs={} vfs={}", next.pfs().size(), next.vfCount());
    }
    return next;
  }

  /** The inventory the next scrape reads. */
  public VfInventory inventory() {
    return inventory.get();
  }

  @Override
  public List<String> getPrometheusNames() {
    return names();
  }

  @Override
  public MetricSnapshots collect() {
    VfInventory inv = inventory.get();
    List<MetricSnapshot> out = new ArrayList<>(traffic.read(inv));
    List<PoolSource.Pool> advertised = pools.pools();
    Optional<List<PodResources.Assignment>> assigned = listPods();
    assigned.ifPresent(a -> out.add(podDevices(a, vfIds(inv), advertised)));
    out.addAll(pools(advertised, assigned));
    return new MetricSnapshots(out);
  }

  private Optional<List<PodResources.Assignment>> listPods() {
    try {
      List<PodResources.Assignment> a = pods.list();
      if (lastPodError.getAndSet(null) != null) {
        log.info("kubelet PodResources readable again");
      }
      return Optional.of(a);
    } catch (IOException e) {
      podErrors.increment();
      String msg = e.getMessage();
      if (!Objects.equals(msg, lastPodError.getAndSet(msg))) {
        log.warn("cannot list pod resources, pod join left out error=\"{}\"", msg);
      }
      return Optional.empty();
    }
  }

  /** The device IDs of {@code inv}'s VFs: built once per inventory, not per scrape. */
  private Set<String> vfIds(VfInventory inv) {
    InventoryIds cached = inventoryIds;
    if (cached == null || cached.inventory() != inv) {
      cached = new InventoryIds(inv, inv.vfAddresses());
      inventoryIds = cached;
    }
    return cached.ids();
  }

  /** The VF device IDs of one inventory (an inventory is replaced, never changed). */
  private record InventoryIds(VfInventory inventory, Set<String> ids) {}

  /**
   * One series per distinct device held by a container, for this node's VFs and pool devices. The
   * labels of an assignment seen at the previous scrape are reused (pods outlive scrapes), so a
   * scrape builds labels only for new assignments; the cache holds only the current ones.
   */
  private MetricSnapshot podDevices(
      List<PodResources.Assignment> assigned, Set<String> vfIds, List<PoolSource.Pool> pools) {
    Map<PodResources.Assignment, Labels> before = podLabels;
    Map<PodResources.Assignment, Labels> now = new LinkedHashMap<>();
    for (PodResources.Assignment a : assigned) {
      if (!now.containsKey(a) && known(a.deviceId(), vfIds, pools)) {
        Labels l = before.get(a);
        now.put(a, l != null ? l : podLabels(a));
      }
    }
    podLabels = now;
    List<GaugeDataPointSnapshot> points = new ArrayList<>(now.size());
    now.values().forEach(l -> points.add(new GaugeDataPointSnapshot(1, l, null)));
    return new GaugeSnapshot(POD_DEVICE_METADATA, points);
  }

  private static boolean known(String deviceId, Set<String> vfIds, List<PoolSource.Pool> pools) {
    if (vfIds.contains(deviceId)) {
      return true;
    }
    for (PoolSource.Pool p : pools) {
      if (p.deviceIds().contains(deviceId)) {
        return true;
      }
    }
    return false;
  }

  private static Labels podLabels(PodResources.Assignment a) {
    return Labels.of(
        "container",
        a.container(),
        "dev_type",
        a.resourceName(),
        "namespace",
        a.namespace(),
        "pciAddr",
        a.deviceId(),
        "pod",
        a.pod());
  }

  private static List<MetricSnapshot> pools(
      List<PoolSource.Pool> pools, Optional<List<PodResources.Assignment>> assigned) {
    GaugeSnapshot.Builder capacity =
        GaugeSnapshot.builder()
            .name(POOL_CAPACITY)
            .help("Devices advertised to kubelet per resource pool, healthy or not.");
    GaugeSnapshot.Builder healthy =
        GaugeSnapshot.builder()
            .name(POOL_HEALTHY)
            .help("Devices advertised Healthy per resource pool.");
    GaugeSnapshot.Builder allocated =
        GaugeSnapshot.builder()
            .name(POOL_ALLOCATED)
            .help("Devices of the pool held by running pods, from kubelet's PodResources.");
    Map<String, Set<String>> held = new HashMap<>();
    assigned.ifPresent(
        list ->
            list.forEach(
                a ->
                    held.computeIfAbsent(a.resourceName(), k -> new HashSet<>())
                        .add(a.deviceId())));
    for (PoolSource.Pool p : pools) {
      Labels l = Labels.of("resource", p.resource());
      capacity.dataPoint(point(l, p.deviceIds().size()));
      healthy.dataPoint(point(l, p.healthy()));
      if (assigned.isPresent()) {
        long n =
            held.getOrDefault(p.resource(), Set.of()).stream()
                .filter(p.deviceIds()::contains)
                .count();
        allocated.dataPoint(point(l, n));
      }
    }
    List<MetricSnapshot> out = new ArrayList<>(3);
    out.add(capacity.build());
    out.add(healthy.build());
    if (assigned.isPresent()) {
      out.add(allocated.build());
    }
    return out;
  }

  private static GaugeDataPointSnapshot point(Labels l, double v) {
    return GaugeDataPointSnapshot.builder().labels(l).value(v).build();
  }
}
