package io.sriov.observability.vf;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkStats;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfStats;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-VF traffic read at scrape time. Names and labels are upstream sriov-network-metrics-
 * exporter's ({@code sriov_vf_rx_bytes{pf,vf,pciAddr,numa_node}} ...), so its dashboards and PromQL
 * keep working. The values are the kernel's monotonically rising counters, exposed untyped because
 * upstream's names lack the {@code _total} a Prometheus counter carries. Two sources, chosen per PF
 * by its driver ({@link Source#of}):
 *
 * <ul>
 *   <li>{@link Source#PF_NETLINK}: the PF's netlink VF statistics (IFLA_VF_STATS, what {@code ip -s
 *       link show <pf>} prints under each {@code vf N}; the PF driver's {@code ndo_get_vf_stats}):
 *       one RTM_GETLINK by name and one with the VF info and statistics per PF. They count what the
 *       VF's queues moved whatever driver the VF has (kernel netdev, vfio-pci, DPDK).
 *   <li>{@link Source#VF_NETDEV}: the VF netdev's own counters (IFLA_STATS64, {@code ip -s link
 *       show <vf>}), for PF drivers without {@code ndo_get_vf_stats}, whose IFLA_VF_STATS the
 *       kernel still sends, all zero (igb). The netdev is found by its parent PCI device
 *       (IFLA_PARENT_DEV_NAME) in the host namespace (one link dump per scrape) or, for a VF given
 *       to a pod, in the pod's namespace ({@link VfNamespaces}: one link dump there). A VF without
 *       a kernel netdev (vfio-pci) has no series from this source.
 * </ul>
 *
 * {@code sriov_vf_tx_errors} comes from the VF netdev's counters only: IFLA_VF_STATS has no
 * transmit-error counter, so a {@link Source#PF_NETLINK} VF has no such series (absent, not 0;
 * upstream reads it from the sysfs per-VF stats of a few out-of-tree drivers only).
 */
public final class VfTraffic {
  private static final Logger log = LoggerFactory.getLogger(VfTraffic.class);

  /** Where the counters of a PF's VFs come from. */
  public enum Source {
    PF_NETLINK,
    VF_NETDEV;

    /**
     * PF drivers that have no {@code ndo_get_vf_stats} (the kernel reports their VFs' IFLA_VF_STATS
     * as zeros). The kernel gives no other sign: zeros from such a driver and from an idle VF are
     * the same bytes, so the driver decides. igb: {@code igb_netdev_ops} has no such callback
     * (82576 and I350, and the emulated 82576 of the e2e guest).
     */
    static final Set<String> WITHOUT_VF_STATS = Set.of("igb");

    /** The source for the VFs of a PF bound to {@code pfDriver}. */
    public static Source of(String pfDriver) {
      return WITHOUT_VF_STATS.contains(pfDriver) ? VF_NETDEV : PF_NETLINK;
    }
  }

  /**
   * Metric name and help, and the field from each source, in upstream's order; {@code pf} is null
   * for a counter IFLA_VF_STATS does not have (the series is then absent for such VFs, not 0).
   */
  private record Stat(
      MetricMetadata metadata, ToLongFunction<VfStats> pf, ToLongFunction<LinkStats> netdev) {
    Stat(String name, String help, ToLongFunction<VfStats> pf, ToLongFunction<LinkStats> netdev) {
      this(new MetricMetadata(name, help, null), pf, netdev);
    }

    String name() {
      return metadata.getName();
    }
  }

  static final List<Stat> STATS =
      List.of(
          new Stat(
              "sriov_vf_rx_bytes",
              "Received bytes per virtual function.",
              VfStats::rxBytes,
              LinkStats::rxBytes),
          new Stat(
              "sriov_vf_tx_bytes",
              "Transmitted bytes per virtual function.",
              VfStats::txBytes,
              LinkStats::txBytes),
          new Stat(
              "sriov_vf_rx_packets",
              "Received packets per virtual function.",
              VfStats::rxPackets,
              LinkStats::rxPackets),
          new Stat(
              "sriov_vf_tx_packets",
              "Transmitted packets per virtual function.",
              VfStats::txPackets,
              LinkStats::txPackets),
          new Stat(
              "sriov_vf_rx_dropped",
              "Dropped packets on receipt per virtual function.",
              VfStats::rxDropped,
              LinkStats::rxDropped),
          new Stat(
              "sriov_vf_tx_dropped",
              "Dropped packets on transmit per virtual function.",
              VfStats::txDropped,
              LinkStats::txDropped),
          new Stat(
              "sriov_vf_tx_errors",
              "Transmit errors per virtual function.",
              null,
              LinkStats::txErrors));

  /** The metric names this class exports. */
  public static List<String> names() {
    return STATS.stream().map(Stat::name).toList();
  }

  private static final String HOST_LINKS = "host links";

  private final RtnlOperations rtnl;
  private final RtnlNamespaces namespaces;
  private final VfNamespaces pods;
  private final MeterRegistry meters;
  private final Map<String, String> lastError = new ConcurrentHashMap<>();
  private volatile InventoryLabels inventoryLabels;

  /**
   * @param rtnl rtnetlink in the host namespace (the PFs, the VF netdevs not given to pods)
   * @param namespaces rtnetlink in pods' namespaces, for the VF netdevs given to pods
   * @param pods which pod namespace holds a VF
   */
  public VfTraffic(
      RtnlOperations rtnl, RtnlNamespaces namespaces, VfNamespaces pods, MeterRegistry meters) {
    this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.pods = Objects.requireNonNull(pods, "pods");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /**
   * One snapshot per statistic with one data point per VF of {@code inventory} whose counters could
   * be read. A PF that cannot be read (renamed, gone, a netlink error), or a pod namespace that
   * cannot, is left out of this scrape and counted in {@code sriov.vf.stats.errors{pf}}.
   */
  public List<MetricSnapshot> read(VfInventory inventory) {
    Map<PciAddress, Labels> labels = labels(inventory);
    List<List<UnknownDataPointSnapshot>> points = new ArrayList<>(STATS.size());
    for (int i = 0; i < STATS.size(); i++) {
      points.add(new ArrayList<>(labels.size()));
    }
    Map<String, LinkStats> hostNetdevs = null;
    for (VfInventory.Pf pf : inventory.pfs()) {
      if (Source.of(pf.driver()) == Source.VF_NETDEV) {
        if (hostNetdevs == null) {
          hostNetdevs = hostNetdevs(pf);
        }
        for (VfInventory.Vf vf : pf.vfs()) {
          Optional<LinkStats> stats =
              Optional.ofNullable(hostNetdevs.get(vf.address().toString())).or(() -> inPod(pf, vf));
          if (stats.isPresent()) {
            Labels l = labels.get(vf.address());
            for (int i = 0; i < STATS.size(); i++) {
              points.get(i).add(point(l, STATS.get(i).netdev().applyAsLong(stats.get())));
            }
          }
        }
        continue;
      }
      Optional<List<VfInfo>> vfs = vfs(pf);
      if (vfs.isEmpty()) {
        continue;
      }
      VfInfo[] byIndex = index(vfs.get());
      for (VfInventory.Vf vf : pf.vfs()) {
        if (vf.index() >= byIndex.length || byIndex[vf.index()] == null) {
          continue;
        }
        Optional<VfStats> stats = byIndex[vf.index()].stats();
        if (stats.isEmpty()) {
          continue;
        }
        Labels l = labels.get(vf.address());
        for (int i = 0; i < STATS.size(); i++) {
          ToLongFunction<VfStats> field = STATS.get(i).pf();
          if (field != null) {
            points.get(i).add(point(l, field.applyAsLong(stats.get())));
          }
        }
      }
    }
    List<MetricSnapshot> out = new ArrayList<>(STATS.size());
    for (int i = 0; i < STATS.size(); i++) {
      out.add(new UnknownSnapshot(STATS.get(i).metadata(), points.get(i)));
    }
    return out;
  }

  /**
   * Upstream's per-VF labels of every VF of {@code inv}: built once per inventory, not per scrape.
   */
  private Map<PciAddress, Labels> labels(VfInventory inv) {
    InventoryLabels cached = inventoryLabels;
    if (cached != null && cached.inventory() == inv) {
      return cached.byVf();
    }
    Map<PciAddress, Labels> byVf = new HashMap<>();
    for (VfInventory.Pf pf : inv.pfs()) {
      for (VfInventory.Vf vf : pf.vfs()) {
        byVf.put(vf.address(), labels(pf, vf));
      }
    }
    inventoryLabels = new InventoryLabels(inv, byVf);
    return byVf;
  }

  /** The labels of one inventory's VFs (an inventory is replaced, never changed). */
  private record InventoryLabels(VfInventory inventory, Map<PciAddress, Labels> byVf) {}

  /** Upstream's per-VF labels. */
  private static Labels labels(VfInventory.Pf pf, VfInventory.Vf vf) {
    return Labels.of(
        "numa_node",
        pf.numaNode(),
        "pciAddr",
        vf.address().toString(),
        "pf",
        pf.name().value(),
        "vf",
        Integer.toString(vf.index()));
  }

  private static UnknownDataPointSnapshot point(Labels labels, long v) {
    return new UnknownDataPointSnapshot(v, labels, null);
  }

  /** The counters of the host namespace's PCI netdevs by PCI address (one link dump). */
  private Map<String, LinkStats> hostNetdevs(VfInventory.Pf pf) {
    try {
      Map<String, LinkStats> m = byPciDevice(rtnl.links());
      lastError.remove(HOST_LINKS);
      return m;
    } catch (NetlinkException e) {
      failed(HOST_LINKS, pf, HOST_LINKS + ": " + e.getMessage());
      return Map.of();
    }
  }

  /** The counters of {@code vf}'s netdev in the pod namespace that holds it, if one does. */
  private Optional<LinkStats> inPod(VfInventory.Pf pf, VfInventory.Vf vf) {
    Optional<Path> ns;
    try {
      ns = pods.of(vf.address()).filter(p -> !p.toString().isEmpty());
    } catch (UncheckedIOException e) {
      failed(vf.address().toString(), pf, "pod of " + vf.address() + ": " + e.getMessage());
      return Optional.empty();
    }
    if (ns.isEmpty()) {
      return Optional.empty();
    }
    try (RtnlOperations pod = namespaces.open(ns.get())) {
      Optional<LinkStats> s =
          Optional.ofNullable(byPciDevice(pod.links()).get(vf.address().toString()));
      lastError.remove(vf.address().toString());
      return s;
    } catch (NetlinkException e) {
      failed(
          vf.address().toString(),
          pf,
          "netns " + ns.get() + " of " + vf.address() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Map<String, LinkStats> byPciDevice(List<Link> links) {
    Map<String, LinkStats> m = new HashMap<>();
    for (Link l : links) {
      if (l.parentBusName().filter("pci"::equals).isPresent()
          && l.parentDeviceName().isPresent()
          && l.stats().isPresent()) {
        m.put(l.parentDeviceName().get(), l.stats().get());
      }
    }
    return m;
  }

  private static VfInfo[] index(List<VfInfo> vfs) {
    int max = -1;
    for (VfInfo v : vfs) {
      max = Math.max(max, v.vf().value());
    }
    VfInfo[] a = new VfInfo[max + 1];
    for (VfInfo v : vfs) {
      a[v.vf().value()] = v;
    }
    return a;
  }

  private Optional<List<VfInfo>> vfs(VfInventory.Pf pf) {
    String name = pf.name().value();
    try {
      Optional<Link> link = rtnl.link(name);
      if (link.isEmpty()) {
        failed(name, pf, "no link named " + name);
        return Optional.empty();
      }
      List<VfInfo> vfs = rtnl.vfs(link.get().index(), true);
      if (lastError.remove(name) != null) {
        log.info("VF statistics readable again pf={} pci={}", name, pf.address());
      }
      return Optional.of(vfs);
    } catch (NetlinkException e) {
      failed(name, pf, e.getMessage());
      return Optional.empty();
    }
  }

  /** Counts a read failure for {@code pf}; logs it once per {@code key} until it changes. */
  private void failed(String key, VfInventory.Pf pf, String error) {
    String name = pf.name().value();
    Counter.builder("sriov.vf.stats.errors")
        .description("PFs whose VF statistics could not be read at a scrape.")
        .tag("pf", name)
        .register(meters)
        .increment();
    if (!error.equals(lastError.put(key, error))) {
      log.warn("cannot read VF statistics pf={} pci={} error=\"{}\"", name, pf.address(), error);
    } else {
      log.debug("still cannot read VF statistics pf={} error=\"{}\"", name, error);
    }
  }
}
