package io.sriov.observability.vf;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-VF traffic read at scrape time from each PF's netlink VF statistics (IFLA_VF_STATS, what
 * {@code ip -s link show <pf>} prints under each {@code vf N}): one RTM_GETLINK by name and one
 * with the VF info and statistics per PF. Names and labels are upstream sriov-network-metrics-
 * exporter's ({@code sriov_vf_rx_bytes{pf,vf,pciAddr,numa_node}} ...), so its dashboards and PromQL
 * keep working. The values are the kernel's monotonically rising counters, exposed untyped because
 * upstream's names lack the {@code _total} a Prometheus counter carries. {@code sriov_vf_tx_errors}
 * is not exported: IFLA_VF_STATS has no transmit-error counter (upstream reads it from the sysfs
 * per-VF stats of a few out-of-tree drivers only).
 */
public final class VfTraffic {
  private static final Logger log = LoggerFactory.getLogger(VfTraffic.class);

  /** Metric name, help, and the VfStats field, in upstream's order. */
  private record Stat(String name, String help, ToLongFunction<VfStats> value) {}

  static final List<Stat> STATS =
      List.of(
          new Stat("sriov_vf_rx_bytes", "Received bytes per virtual function.", VfStats::rxBytes),
          new Stat(
              "sriov_vf_tx_bytes", "Transmitted bytes per virtual function.", VfStats::txBytes),
          new Stat(
              "sriov_vf_rx_packets", "Received packets per virtual function.", VfStats::rxPackets),
          new Stat(
              "sriov_vf_tx_packets",
              "Transmitted packets per virtual function.",
              VfStats::txPackets),
          new Stat(
              "sriov_vf_rx_dropped",
              "Dropped packets on receipt per virtual function.",
              VfStats::rxDropped),
          new Stat(
              "sriov_vf_tx_dropped",
              "Dropped packets on transmit per virtual function.",
              VfStats::txDropped));

  /** The metric names this class exports. */
  public static List<String> names() {
    return STATS.stream().map(Stat::name).toList();
  }

  private final RtnlOperations rtnl;
  private final MeterRegistry meters;
  private final Map<String, String> lastError = new ConcurrentHashMap<>();

  public VfTraffic(RtnlOperations rtnl, MeterRegistry meters) {
    this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /**
   * One snapshot per statistic with one data point per VF of {@code inventory} whose PF reported
   * statistics. A PF that cannot be read (renamed, gone, a netlink error) is left out of this
   * scrape and counted in {@code sriov.vf.stats.errors{pf}}.
   */
  public List<MetricSnapshot> read(VfInventory inventory) {
    List<UnknownSnapshot.Builder> builders = new ArrayList<>(STATS.size());
    for (Stat s : STATS) {
      builders.add(UnknownSnapshot.builder().name(s.name()).help(s.help()));
    }
    for (VfInventory.Pf pf : inventory.pfs()) {
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
        Labels labels =
            Labels.of(
                "numa_node",
                pf.numaNode(),
                "pciAddr",
                vf.address().toString(),
                "pf",
                pf.name().value(),
                "vf",
                Integer.toString(vf.index()));
        for (int i = 0; i < STATS.size(); i++) {
          builders
              .get(i)
              .dataPoint(
                  UnknownDataPointSnapshot.builder()
                      .labels(labels)
                      .value(STATS.get(i).value().applyAsLong(stats.get()))
                      .build());
        }
      }
    }
    List<MetricSnapshot> out = new ArrayList<>(builders.size());
    builders.forEach(b -> out.add(b.build()));
    return out;
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
        failed(pf, "no link named " + name);
        return Optional.empty();
      }
      List<VfInfo> vfs = rtnl.vfs(link.get().index(), true);
      if (lastError.remove(name) != null) {
        log.info("VF statistics readable again pf={} pci={}", name, pf.address());
      }
      return Optional.of(vfs);
    } catch (NetlinkException e) {
      failed(pf, e.getMessage());
      return Optional.empty();
    }
  }

  private void failed(VfInventory.Pf pf, String error) {
    String name = pf.name().value();
    Counter.builder("sriov.vf.stats.errors")
        .description("PFs whose VF statistics could not be read at a scrape.")
        .tag("pf", name)
        .register(meters)
        .increment();
    if (!error.equals(lastError.put(name, error))) {
      log.warn("cannot read VF statistics pf={} pci={} error=\"{}\"", name, pf.address(), error);
    } else {
      log.debug("still cannot read VF statistics pf={} error=\"{}\"", name, error);
    }
  }
}
