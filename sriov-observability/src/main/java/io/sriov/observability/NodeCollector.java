package io.sriov.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.PodResources;
import io.sriov.observability.pool.PoolSource;
import io.sriov.observability.text.TextExposition;
import io.sriov.observability.vf.VfInventory;
import io.sriov.observability.vf.VfTraffic;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
public final class NodeCollector {
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
  private volatile PodLines podLines = new PodLines(Map.of(), new byte[0][]);

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

  /**
   * Reads the node's metrics now, in one pass (kubelet's PodResources listed once for the pod join
   * and the pools); {@link Reading#writeTo} writes them. Reading before the registry's meters are
   * written lets this scrape's read errors be counted in the same scrape.
   */
  public Reading read() {
    VfInventory inv = inventory.get();
    VfTraffic.Reading vfs = traffic.read(inv);
    List<PoolSource.Pool> advertised = pools.pools();
    Optional<List<PodResources.Assignment>> assigned = listPods();
    byte[][] podLines = assigned.map(a -> podDevices(a, vfIds(inv), advertised)).orElse(null);
    return new Reading(vfs, podLines, advertised, assigned);
  }

  /** What one scrape read, written in the Prometheus text format. */
  public static final class Reading {
    private final VfTraffic.Reading vfs;
    private final byte[][] podLines;
    private final List<PoolSource.Pool> pools;
    private final Optional<List<PodResources.Assignment>> assigned;

    private Reading(
        VfTraffic.Reading vfs,
        byte[][] podLines,
        List<PoolSource.Pool> pools,
        Optional<List<PodResources.Assignment>> assigned) {
      this.vfs = vfs;
      this.podLines = podLines;
      this.pools = pools;
      this.assigned = assigned;
    }

    /**
     * This collector's families in name order ({@code sriov_kubepoddevice}, {@code sriov_pool_*},
     * {@code sriov_vf_*}), each series in the order of its labels, as Prometheus's writer orders
     * them; a family without series is left out.
     */
    public void writeTo(TextExposition out) {
      if (podLines != null && podLines.length > 0) {
        out.family(POD_DEVICE, POD_DEVICE_HELP, "gauge");
        for (byte[] line : podLines) {
          out.write(line, 0, line.length);
        }
      }
      writePools(out, pools, assigned);
      vfs.writeTo(out);
    }
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
   * One series per distinct device held by a container, for this node's VFs and pool devices, in
   * the order of its labels. The line of an assignment seen at the previous scrape is reused (pods
   * outlive scrapes), and so is the previous order when the assignments are the same; the cache
   * holds only the current ones.
   */
  private byte[][] podDevices(
      List<PodResources.Assignment> assigned, Set<String> vfIds, List<PoolSource.Pool> pools) {
    PodLines before = podLines;
    Map<PodResources.Assignment, byte[]> now = new HashMap<>();
    for (PodResources.Assignment a : assigned) {
      if (!now.containsKey(a) && known(a.deviceId(), vfIds, pools)) {
        byte[] line = before.byAssignment().get(a);
        now.put(a, line != null ? line : podLine(a));
      }
    }
    if (now.keySet().equals(before.byAssignment().keySet())) {
      return before.sorted();
    }
    byte[][] sorted =
        now.entrySet().stream()
            .sorted(Map.Entry.comparingByKey(LABEL_ORDER))
            .map(Map.Entry::getValue)
            .toArray(byte[][]::new);
    podLines = new PodLines(now, sorted);
    return sorted;
  }

  /** The pod join's lines of the last scrape (scrapes may run concurrently: replaced whole). */
  private record PodLines(Map<PodResources.Assignment, byte[]> byAssignment, byte[][] sorted) {}

  /** The order of the pod join's labels by name: container, dev_type, namespace, pciAddr, pod. */
  private static final Comparator<PodResources.Assignment> LABEL_ORDER =
      Comparator.comparing(PodResources.Assignment::container)
          .thenComparing(PodResources.Assignment::resourceName)
          .thenComparing(PodResources.Assignment::namespace)
          .thenComparing(PodResources.Assignment::deviceId)
          .thenComparing(PodResources.Assignment::pod);

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

  private static byte[] podLine(PodResources.Assignment a) {
    TextExposition line = new TextExposition(160);
    line.sample(
        POD_DEVICE_NAME,
        TextExposition.labels(
            "container",
            a.container(),
            "dev_type",
            a.resourceName(),
            "namespace",
            a.namespace(),
            "pciAddr",
            a.deviceId(),
            "pod",
            a.pod()),
        1);
    return line.toByteArray();
  }

  private static final byte[] POD_DEVICE_NAME = TextExposition.name(POD_DEVICE);
  private static final String POD_DEVICE_HELP =
      "Virtual functions linked to active pods (1 per device held by a container).";

  /** {@code sriov_pool_allocated} (when kubelet was read), {@code _capacity}, {@code _healthy}. */
  private static void writePools(
      TextExposition out,
      List<PoolSource.Pool> pools,
      Optional<List<PodResources.Assignment>> assigned) {
    if (pools.isEmpty()) {
      return;
    }
    List<PoolSource.Pool> byResource =
        pools.stream().sorted(Comparator.comparing(PoolSource.Pool::resource)).toList();
    if (assigned.isPresent()) {
      Map<String, Set<String>> held = new HashMap<>();
      assigned
          .get()
          .forEach(
              a -> held.computeIfAbsent(a.resourceName(), k -> new HashSet<>()).add(a.deviceId()));
      out.family(
          POOL_ALLOCATED,
          "Devices of the pool held by running pods, from kubelet's PodResources.",
          "gauge");
      for (PoolSource.Pool p : byResource) {
        long n =
            held.getOrDefault(p.resource(), Set.of()).stream()
                .filter(p.deviceIds()::contains)
                .count();
        out.sample(POOL_ALLOCATED_NAME, poolLabels(p), n);
      }
    }
    out.family(
        POOL_CAPACITY, "Devices advertised to kubelet per resource pool, healthy or not.", "gauge");
    for (PoolSource.Pool p : byResource) {
      out.sample(POOL_CAPACITY_NAME, poolLabels(p), p.deviceIds().size());
    }
    out.family(POOL_HEALTHY, "Devices advertised Healthy per resource pool.", "gauge");
    for (PoolSource.Pool p : byResource) {
      out.sample(POOL_HEALTHY_NAME, poolLabels(p), p.healthy());
    }
  }

  private static byte[] poolLabels(PoolSource.Pool p) {
    return TextExposition.labels("resource", p.resource());
  }

  private static final byte[] POOL_ALLOCATED_NAME = TextExposition.name(POOL_ALLOCATED);
  private static final byte[] POOL_CAPACITY_NAME = TextExposition.name(POOL_CAPACITY);
  private static final byte[] POOL_HEALTHY_NAME = TextExposition.name(POOL_HEALTHY);
}
