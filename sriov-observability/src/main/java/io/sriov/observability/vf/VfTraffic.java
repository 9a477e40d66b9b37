package io.sriov.observability.vf;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkStats;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfStats;
import io.sriov.observability.text.TextExposition;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
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

  private static final byte[][] NAMES =
      STATS.stream().map(s -> TextExposition.name(s.name())).toArray(byte[][]::new);

  /** Indexes into {@link #STATS} in name order, the order families are written in. */
  private static final int[] BY_NAME =
      IntStream.range(0, STATS.size())
          .boxed()
          .sorted(Comparator.comparing(i -> STATS.get(i).name()))
          .mapToInt(Integer::intValue)
          .toArray();

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
  private final Duration podBudget;
  private volatile Series series;
  private long nextPod; // where the next scrape starts among pod namespaces (a hint: races ok)
  private volatile boolean podsLate;

  /**
   * @param rtnl rtnetlink in the host namespace (the PFs, the VF netdevs not given to pods)
   * @param namespaces rtnetlink in pods' namespaces, for the VF netdevs given to pods
   * @param pods which pod namespace holds a VF
   * @param podBudget how long a scrape may spend reading VF netdevs in pods' namespaces; those not
   *     reached in time are left out of it (see {@link #read})
   */
  public VfTraffic(
      RtnlOperations rtnl,
      RtnlNamespaces namespaces,
      VfNamespaces pods,
      Duration podBudget,
      MeterRegistry meters) {
    this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.pods = Objects.requireNonNull(pods, "pods");
    this.podBudget = Objects.requireNonNull(podBudget, "podBudget");
    if (podBudget.isNegative() || podBudget.isZero()) {
      throw new IllegalArgumentException("podBudget must be positive, got " + podBudget);
    }
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** A scrape's default time for VF netdevs in pods' namespaces (a scrape's whole is 10 s). */
  public static final Duration POD_BUDGET = Duration.ofSeconds(2);

  /**
   * As {@link #VfTraffic(RtnlOperations, RtnlNamespaces, VfNamespaces, Duration, MeterRegistry)}
   * with {@link #POD_BUDGET}.
   */
  public VfTraffic(
      RtnlOperations rtnl, RtnlNamespaces namespaces, VfNamespaces pods, MeterRegistry meters) {
    this(rtnl, namespaces, pods, POD_BUDGET, meters);
  }

  /**
   * The counters of every VF of {@code inventory} that could be read, for {@link Reading#writeTo}.
   * A PF that cannot be read (renamed, gone, a netlink error), or a pod namespace that cannot, is
   * left out of this scrape and counted in {@code sriov.vf.stats.errors{pf}}; a pod namespace not
   * reached within the scrape's budget for them is left out and counted in {@code
   * sriov.vf.stats.late{pf}}.
   */
  public Reading read(VfInventory inventory) {
    Series series = series(inventory);
    Reading r = new Reading(series);
    Map<String, LinkStats> hostNetdevs = null;
    Map<Path, List<PodVf>> inPods = new LinkedHashMap<>();
    for (VfInventory.Pf pf : inventory.pfs()) {
      if (Source.of(pf.driver()) == Source.VF_NETDEV) {
        if (hostNetdevs == null) {
          hostNetdevs = hostNetdevs(pf);
        }
        for (VfInventory.Vf vf : pf.vfs()) {
          LinkStats stats = hostNetdevs.get(vf.address().toString());
          if (stats != null) {
            r.netdev(series.position(vf), stats);
          } else {
            podNamespace(pf, vf)
                .ifPresent(
                    ns ->
                        inPods
                            .computeIfAbsent(ns, k -> new ArrayList<>(1))
                            .add(new PodVf(pf, vf, series.position(vf))));
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
        if (stats.isPresent()) {
          r.pf(series.position(vf), stats.get());
        }
      }
    }
    if (!inPods.isEmpty()) {
      readPods(inPods, r);
    }
    return r;
  }

  /** A VF whose netdev is in a pod's namespace. */
  private record PodVf(VfInventory.Pf pf, VfInventory.Vf vf, int position) {}

  /**
   * The VF netdevs in pods' namespaces: one visit (one link dump) per namespace, however many VFs
   * it holds, all on one namespace thread ({@link RtnlNamespaces#inEach}), within {@code
   * podBudget}. Each scrape starts where the last one stopped, so a budget too short for every
   * namespace still reads each of them in turn rather than never the same ones.
   */
  private void readPods(Map<Path, List<PodVf>> inPods, Reading r) {
    List<Path> order = new ArrayList<>(inPods.keySet());
    Collections.rotate(order, -(int) Math.floorMod(nextPod, (long) order.size()));
    List<Path> late =
        namespaces.inEach(
            order,
            podBudget,
            new RtnlNamespaces.Visitor() {
              @Override
              public void inside(Path ns, RtnlOperations rtnl) throws NetlinkException {
                Map<String, LinkStats> netdevs = byPciDevice(rtnl.links());
                for (PodVf p : inPods.get(ns)) {
                  String key = p.vf().address().toString();
                  LinkStats stats = netdevs.get(key);
                  if (stats != null) {
                    r.netdev(p.position(), stats);
                  }
                  lastError.remove(key);
                }
              }

              @Override
              public void failed(Path ns, NetlinkException e) {
                for (PodVf p : inPods.get(ns)) {
                  String vf = p.vf().address().toString();
                  VfTraffic.this.failed(
                      vf, p.pf(), "netns " + ns + " of " + vf + ": " + e.getMessage());
                }
              }
            });
    nextPod += order.size() - late.size();
    int vfs = 0;
    for (Path ns : late) {
      for (PodVf p : inPods.get(ns)) {
        late(p.pf());
        vfs++;
      }
    }
    boolean wasLate = podsLate;
    podsLate = !late.isEmpty();
    if (podsLate && !wasLate) { // once until every namespace is read again (the counter counts)
      log.warn(
          "VF statistics of pods left out of a scrape, their namespaces not reached within"
              + " budget={} namespaces={} vfs={}",
          podBudget,
          late.size(),
          vfs);
    } else if (!podsLate && wasLate) {
      log.info("VF statistics of every pod namespace read within budget={} again", podBudget);
    }
  }

  /** Where the netdev of a VF given to a pod is, as the CNI recorded it. */
  private Optional<Path> podNamespace(VfInventory.Pf pf, VfInventory.Vf vf) {
    try {
      return pods.of(vf.address()).filter(p -> !p.toString().isEmpty());
    } catch (UncheckedIOException e) {
      failed(vf.address().toString(), pf, "pod of " + vf.address() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The counters one scrape read, by VF in the order Prometheus sorts their labels; written as the
   * {@code sriov_vf_*} families ({@link #writeTo}).
   */
  public static final class Reading {
    private static final byte ABSENT = 0;
    private static final byte FROM_PF = 1; // IFLA_VF_STATS: no tx_errors
    private static final byte FROM_NETDEV = 2; // IFLA_STATS64: every counter

    private final Series series;
    private final byte[] source;
    private final long[][] values; // [vf][stat], STATS order

    private Reading(Series series) {
      this.series = series;
      this.source = new byte[series.size()];
      this.values = new long[series.size()][];
    }

    private void pf(int vf, VfStats s) {
      source[vf] = FROM_PF;
      long[] v = new long[STATS.size()];
      for (int i = 0; i < v.length; i++) {
        ToLongFunction<VfStats> field = STATS.get(i).pf();
        v[i] = field == null ? 0 : field.applyAsLong(s);
      }
      values[vf] = v;
    }

    private void netdev(int vf, LinkStats s) {
      source[vf] = FROM_NETDEV;
      long[] v = new long[STATS.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = STATS.get(i).netdev().applyAsLong(s);
      }
      values[vf] = v;
    }

    private boolean has(int vf, int stat) {
      return source[vf] == FROM_NETDEV || (source[vf] == FROM_PF && STATS.get(stat).pf() != null);
    }

    /** VFs with counters in this reading. */
    public int vfs() {
      int n = 0;
      for (byte b : source) {
        n += b == ABSENT ? 0 : 1;
      }
      return n;
    }

    /**
     * The {@code sriov_vf_*} families in name order (a family without series is left out, as the
     * Prometheus writer leaves out an empty one), each VF's series in label order.
     */
    public void writeTo(TextExposition out) {
      for (int stat : BY_NAME) {
        Stat st = STATS.get(stat);
        boolean any = false;
        for (int vf = 0; vf < source.length; vf++) {
          if (!has(vf, stat)) {
            continue;
          }
          if (!any) {
            out.family(st.name(), st.metadata().getHelp(), "untyped");
            any = true;
          }
          out.sample(NAMES[stat], series.labels(vf), values[vf][stat]);
        }
      }
    }
  }

  /**
   * The series of one inventory (an inventory is replaced, never changed): its VFs in the order
   * Prometheus's writer sorts their labels, with upstream's labels encoded once.
   */
  private record Series(
      VfInventory inventory, Map<PciAddress, Integer> positions, byte[][] labels) {
    int size() {
      return labels.length;
    }

    int position(VfInventory.Vf vf) {
      return positions.get(vf.address());
    }

    byte[] labels(int position) {
      return labels[position];
    }
  }

  /** The series of {@code inv}: built once per inventory, not per scrape. */
  private Series series(VfInventory inv) {
    Series cached = this.series;
    if (cached != null && cached.inventory() == inv) {
      return cached;
    }
    List<String[]> rows = new ArrayList<>();
    List<PciAddress> addresses = new ArrayList<>();
    for (VfInventory.Pf pf : inv.pfs()) {
      for (VfInventory.Vf vf : pf.vfs()) {
        // upstream's labels, by name: numa_node, pciAddr, pf, vf
        rows.add(
            new String[] {
              pf.numaNode(),
              vf.address().toString(),
              pf.name().value(),
              Integer.toString(vf.index())
            });
        addresses.add(vf.address());
      }
    }
    Integer[] order = new Integer[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compare(rows.get(a), rows.get(b)));
    Map<PciAddress, Integer> positions = new HashMap<>();
    byte[][] labels = new byte[order.length][];
    for (int p = 0; p < order.length; p++) {
      String[] row = rows.get(order[p]);
      positions.put(addresses.get(order[p]), p);
      labels[p] =
          TextExposition.labels("numa_node", row[0], "pciAddr", row[1], "pf", row[2], "vf", row[3]);
    }
    Series s = new Series(inv, positions, labels);
    this.series = s;
    return s;
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

  /** Counts a VF left out of a scrape because its pod namespace was not reached in time. */
  private void late(VfInventory.Pf pf) {
    Counter.builder("sriov.vf.stats.late")
        .description(
            "VFs in pods' namespaces left out of a scrape: not reached within its time budget.")
        .tag("pf", pf.name().value())
        .register(meters)
        .increment();
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
