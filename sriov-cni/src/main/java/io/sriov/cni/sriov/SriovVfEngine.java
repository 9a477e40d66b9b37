package io.sriov.cni.sriov;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.cni.plugin.CniLog;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Address;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.NamespaceVisit;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfInfo;
import io.sriov.os.Errno;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.function.Supplier;

/**
 * The SR-IOV plugin's work on one VF, below the CNI protocol: ADD's preparation, plumbing and IP
 * configuration, their undo, DEL's release, CHECK's comparison and GC's sweep. The caller holds the
 * VF's lock ({@link StateDir#lock}) around each call, as upstream holds it for the whole command.
 *
 * <p>ADD order (upstream's, with the cache written first): find the VF in sysfs; refuse it while
 * another live pod holds it (a stale allocation whose netns is gone is dropped); save the original
 * VF state in the cache and record the allocation, <em>before</em> any change, so a DEL after a
 * crash at any later step can put everything back; apply the PF-side attributes and read them back;
 * move the netdev into the pod through a temporary namespace (rename, host-name altname dropped);
 * sysctls {@code arp_notify}, {@code ndisc_notify}, {@code optimistic_dad}; the MAC on the netdev.
 * Then the caller runs IPAM and {@link #configureIp} adds the addresses while the link is still
 * down (so the kernel's {@code arp_notify} announces them when it comes up), brings it up and adds
 * the routes. DPDK VFs (userspace driver, no netdev) get the PF-side attributes only.
 */
public final class SriovVfEngine {
  /** How long DEL waits for the kernel to hand back a VF whose namespace was just deleted. */
  static final Duration RETURN_WAIT = Duration.ofSeconds(2);

  private final VfLocator locator;
  private final RtnlNamespaces namespaces;
  private final NetnsSysctls sysctls;
  private final StateDir state;
  private final PfSideConfig pfSide;
  private final VfMover mover;

  public SriovVfEngine(
      VfLocator locator,
      RtnlNamespaces namespaces,
      NetnsSysctls sysctls,
      StateDir state,
      Duration macRetryDelay) {
    this.locator = Objects.requireNonNull(locator, "locator");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.sysctls = Objects.requireNonNull(sysctls, "sysctls");
    this.state = Objects.requireNonNull(state, "state");
    this.pfSide = new PfSideConfig(macRetryDelay);
    this.mover = new VfMover(namespaces);
  }

  public StateDir state() {
    return state;
  }

  // ------------------------------------------------------------------------------------ ADD

  /**
   * ADD up to, not including, IPAM. On failure everything done is undone (VF back in the host under
   * its name, PF-side attributes restored, cache and allocation removed) and the error is rethrown.
   *
   * @throws VfAllocatedException another pod whose namespace still exists holds the VF
   * @throws InvalidNetConfException the device is not a usable VF
   */
  public Attachment attach(
      CniLog log,
      String containerId,
      InterfaceName ifName,
      Path netns,
      ObjectNode netconf,
      SriovNetConf conf)
      throws NetlinkException {
    // a thread enters the pod at once and opens its rtnetlink there, beside the steps before the
    // name check; it writes the VF's sysctls later (a DPDK VF's ADD leaves it unused)
    try (NamespaceVisit podVisit = namespaces.visit(netns)) {
      return attach(
          new Add(log, containerId, ifName, netns, netconf, conf, podVisit, log.steps("attach")));
    }
  }

  /** One ADD's request and its pod visit, for the steps of {@link #attach}. */
  private record Add(
      CniLog log,
      String containerId,
      InterfaceName ifName,
      Path netns,
      ObjectNode netconf,
      SriovNetConf conf,
      NamespaceVisit podVisit,
      CniLog.Steps steps) {}

  private Attachment attach(Add add) throws NetlinkException {
    PciAddress address = add.conf().deviceId();
    CniLog.Steps steps = add.steps();
    VfDevice vf = locator.locate(address);
    steps.mark("locate");
    Optional<Path> holder = state.allocatedNetns(address);
    if (holder.isPresent()) {
      if (exists(holder.get())) {
        throw new VfAllocatedException("pci address " + address + " is already allocated");
      }
      add.log()
          .info(
              "releasing a stale allocation, its namespace is gone",
              "pci",
              address,
              "netns",
              holder.get());
      state.release(address);
    }
    if (vf.netdev().isEmpty() && !vf.dpdk()) {
      throw new InvalidNetConfException(
          "the VF "
              + address
              + " does not have a interface name or a dpdk driver (driver "
              + vf.driver().map(Object::toString).orElse("none")
              + ")");
    }
    // one rtnetlink socket in the pod for the whole ADD: the name check, the arrival, the MAC, the
    // addresses and the link up (configureIp); the Attachment owns it on success
    RtnlOperations pod = null;
    try (RtnlOperations host = namespaces.open(namespaces.hostNamespace())) {
      steps.mark("host-open");
      Link pf = PfSideConfig.pf(host, vf);
      Optional<Link> netdev = PfSideConfig.netdev(host, vf);
      VfSnapshot original = PfSideConfig.snapshot(host, pf.index(), vf, netdev);
      steps.mark("snapshot");
      if (!vf.dpdk()) {
        // the last read before the first change: the visit's socket had the steps above to open
        pod = add.podVisit().rtnl();
        if (pod.link(add.ifName().value()).isPresent()) {
          throw new InvalidNetConfException(
              "interface " + add.ifName() + " already exists in " + add.netns());
        }
        steps.mark("pod-check");
      }
      SriovCache cache =
          new SriovCache(
              add.containerId(),
              add.ifName(),
              Optional.of(add.netns()),
              add.netconf(),
              add.conf(),
              vf.pfName(),
              vf.index(),
              Optional.of(vf.dpdk()),
              original);
      state.writeCache(add.containerId(), add.ifName().value(), cache.toJson());
      state.allocate(address, add.netns());
      steps.mark("state-files");
      try {
        return plumb(add, host, pod, pf, vf, netdev, cache);
      } catch (NetlinkException | RuntimeException e) {
        undo(add.log(), host, pf, vf, cache, e);
        throw e;
      }
    } catch (NetlinkException | RuntimeException e) {
      if (pod != null) {
        pod.close();
      }
      throw e;
    }
  }

  /**
   * PF side, then for a kernel VF the move into the pod ({@code pod}: null for a DPDK VF), its
   * sysctls there on the visit's thread beside the host-name altname, and the MAC. {@code netdev}:
   * the VF's host link as the snapshot read it.
   */
  private Attachment plumb(
      Add add,
      RtnlOperations host,
      RtnlOperations pod,
      Link pf,
      VfDevice vf,
      Optional<Link> netdev,
      SriovCache cache)
      throws NetlinkException {
    CniLog.Steps steps = add.steps();
    SriovNetConf conf = cache.conf();
    pfSide.apply(host, pf.index(), vf, conf);
    steps.mark("pf-side");
    if (vf.dpdk()) {
      Optional<MacAddress> mac = conf.mac();
      if (mac.isEmpty()) {
        MacAddress admin = PfSideConfig.info(host, pf.index(), vf).mac();
        mac = admin.isZero() ? Optional.empty() : Optional.of(admin);
      }
      return new Attachment(cache, vf, OptionalInt.empty(), mac, pf.mtu(), Optional.empty());
    }
    InterfaceName hostName = vf.netdev().orElseThrow();
    // the snapshot's link is still the VF's when the PF side was left alone (a PF-side change may
    // reset the VF, so then the mover reads it again)
    Link arrived =
        mover.intoPod(
            add.log(),
            host,
            hostName,
            PfSideConfig.setsAny(conf) ? Optional.empty() : netdev,
            vf.address().toString(),
            cache.ifName(),
            add.netns(),
            pod);
    steps.mark("into-pod");
    // the sysctls (after the rename, before the MAC and the link up, as upstream) on the visit's
    // thread while this one records the host name in an altname
    NetnsSysctls.Writes notify = sysctls.writeAllLater(add.podVisit(), notifyKeys(cache.ifName()));
    Link moved;
    try {
      moved = mover.recordHostName(add.log(), pod, arrived, hostName);
    } catch (NetlinkException | RuntimeException e) {
      try {
        notify.await(); // done before the VF leaves: nothing of this ADD runs after its undo
      } catch (RuntimeException ignored) {
        e.addSuppressed(ignored);
      }
      mover.backToHost(pod, arrived.index(), hostName, e);
      throw e;
    }
    notify.await();
    steps.mark("sysctls-altname");
    int index = moved.index();
    Optional<MacAddress> mac = moved.mac();
    if (conf.mac().isPresent()) {
      setNetdevMac(pod, index, conf.mac().get());
      mac = conf.mac(); // the kernel took it: no read back
      steps.mark("mac");
    }
    steps.done("pci", vf.address());
    return new Attachment(cache, vf, OptionalInt.of(index), mac, moved.mtu(), Optional.of(pod));
  }

  /** Gratuitous ARP and unsolicited NA on the VF's arrival, optimistic DAD: upstream's three. */
  private static SequencedMap<String, String> notifyKeys(InterfaceName ifName) {
    String ifn = ifName.value();
    SequencedMap<String, String> notify = new LinkedHashMap<>();
    notify.put("net/ipv4/conf/" + ifn + "/arp_notify", "1");
    notify.put("net/ipv6/conf/" + ifn + "/ndisc_notify", "1");
    notify.put("net/ipv6/conf/" + ifn + "/optimistic_dad", "1");
    return notify;
  }

  /** The netdev's own MAC, retried as upstream does (async iavf). */
  private void setNetdevMac(RtnlOperations pod, int index, MacAddress mac) throws NetlinkException {
    NetlinkException last = null;
    for (int i = 0; i < PfSideConfig.MAC_ATTEMPTS; i++) {
      try {
        pod.setMac(index, mac);
        return;
      } catch (NetlinkException e) {
        last = e;
      }
      pfSide.pauseBeforeRetry();
    }
    throw last;
  }

  /**
   * The IPAM result on the VF in the pod: addresses while it is down, then up, then routes; up
   * alone without IPAM. Nothing for a DPDK VF (upstream: IPs reported, not configured).
   */
  public void configureIp(Attachment a, List<IpPrefix> addresses, List<RouteSpec> routes)
      throws NetlinkException {
    if (a.dpdk()) {
      return;
    }
    int index = a.podIndex().getAsInt();
    if (a.pod().isPresent()) {
      configureIp(a.pod().get(), index, addresses, routes);
      return;
    }
    try (RtnlOperations pod = namespaces.open(a.netns().orElseThrow())) {
      configureIp(pod, index, addresses, routes);
    }
  }

  private static void configureIp(
      RtnlOperations pod, int index, List<IpPrefix> addresses, List<RouteSpec> routes)
      throws NetlinkException {
    for (IpPrefix p : addresses) {
      pod.addAddress(index, p, false);
    }
    pod.setUp(index, true);
    for (RouteSpec r : routes) {
      pod.addRoute(r);
    }
  }

  /** Undoes a whole ADD (IPAM failed, or the caller's later step did); failures are suppressed. */
  public void detachAfterFailure(CniLog log, Attachment a, Exception cause) {
    try (RtnlOperations host = namespaces.open(namespaces.hostNamespace())) {
      undo(log, host, PfSideConfig.pf(host, a.vf()), a.vf(), a.cache(), cause);
    } catch (NetlinkException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private void undo(
      CniLog log, RtnlOperations host, Link pf, VfDevice vf, SriovCache cache, Exception cause) {
    try {
      List<String> failures =
          release(
              log,
              host,
              pf,
              vf,
              cache,
              () -> locator.netdev(vf.address()), // the ADD's locate is stale: it may have moved
              null,
              CniLog.Steps.OFF);
      if (!failures.isEmpty()) {
        cause.addSuppressed(
            new VfConfigException("rollback incomplete: " + String.join("; ", failures)));
        return; // keep the cache and allocation: the runtime's DEL retries what failed
      }
      state.release(vf.address());
      state.deleteCache(cache.containerId(), cache.ifName().value());
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  // ------------------------------------------------------------------------------------ DEL

  /** What DEL did, for the log and the tests. */
  public enum Released {
    /** The VF and its PF-side state were put back; cache and allocation removed. */
    RESTORED,
    /** No cache: PF-side attributes the DEL netconf sets were reset to defaults, VF returned. */
    RESET_WITHOUT_CACHE,
    /** Nothing touched: another live pod holds the VF now. */
    HELD_BY_ANOTHER_POD,
    /** No cache and a device that is not a VF (any more): nothing to do. */
    NOTHING
  }

  /**
   * DEL, idempotent: restores the PF-side attributes (before the netdev, as upstream) and gives the
   * netdev back to the host under its original name wherever it is now (in the pod; in the host
   * already because the namespace is gone or a crash destroyed the temporary one). The PF-side
   * restore is best effort (a driver refusing the original value refuses it on every retry); a VF
   * that cannot be given back fails DEL and keeps the cache so the retry finds it.
   *
   * @param delConf the DEL's own netconf, used when there is no cache
   */
  public Released release(
      CniLog log,
      String containerId,
      InterfaceName ifName,
      Optional<Path> netns,
      SriovNetConf delConf)
      throws NetlinkException {
    return release(log, containerId, ifName, netns, delConf, Optional.empty());
  }

  /**
   * DEL as {@link #release(CniLog, String, InterfaceName, Optional, SriovNetConf)}, given the cache
   * the caller read before it took the VF's lock ({@link #readCache} with the same {@code netns}):
   * the file is read again under the lock, and only bytes that differ from {@code before} are
   * parsed again.
   */
  public Released release(
      CniLog log,
      String containerId,
      InterfaceName ifName,
      Optional<Path> netns,
      SriovNetConf delConf,
      Optional<CacheRead> before)
      throws NetlinkException {
    CniLog.Steps steps = log.steps("release");
    Optional<SriovCache> cache =
        loadCache(log, containerId, ifName, netns, before).map(CacheRead::cache);
    steps.mark("cache");
    if (cache.isEmpty()) {
      return releaseWithoutCache(log, ifName, netns, delConf);
    }
    SriovCache c = cache.get();
    // the VF is most likely in the pod: a thread enters it now and opens its rtnetlink, beside the
    // steps before the netdev's return
    boolean inPodLikely =
        c.netns().isPresent() && !c.dpdk().orElse(false) && c.original().hostName().isPresent();
    try (NamespaceVisit podVisit = inPodLikely ? namespaces.visit(c.netns().get()) : null) {
      return release(log, containerId, ifName, c, podVisit, steps);
    }
  }

  private Released release(
      CniLog log,
      String containerId,
      InterfaceName ifName,
      SriovCache c,
      NamespaceVisit podVisit,
      CniLog.Steps steps)
      throws NetlinkException {
    PciAddress address = c.deviceId();
    Optional<Path> holder = state.allocatedNetns(address);
    boolean heldByOther = holder.isPresent() && !holder.equals(c.netns()) && exists(holder.get());
    steps.mark("holder");
    if (heldByOther) {
      log.info("VF now held by another pod, leaving it", "pci", address, "holder", holder.get());
      state.deleteCache(containerId, ifName.value());
      return Released.HELD_BY_ANOTHER_POD;
    }
    VfDevice vf;
    try {
      vf = locator.locate(address, Optional.of(c.vfIndex()));
    } catch (InvalidNetConfException e) {
      // The VF is gone (numVfs reset, PF reset): nothing of it left to restore (upstream #271).
      log.warning(
          "VF not found on DEL, dropping its state", "pci", address, "reason", e.getMessage());
      state.release(address);
      state.deleteCache(containerId, ifName.value());
      return Released.NOTHING;
    }
    steps.mark("locate");
    try (RtnlOperations host = namespaces.open(namespaces.hostNamespace())) {
      steps.mark("host-open");
      Link pf = PfSideConfig.pf(host, vf);
      // the VF's netdev in the host as the locate just read it, under the lock (the PF-side restore
      // before the return moves no netdev)
      List<String> failures = release(log, host, pf, vf, c, vf::netdev, podVisit, steps);
      if (!failures.isEmpty()) {
        throw new VfConfigException(
            "DEL of VF " + address + " incomplete: " + String.join("; ", failures));
      }
    }
    if (holder.isEmpty() || holder.equals(c.netns()) || !exists(holder.get())) {
      state.release(address);
    }
    state.deleteCache(containerId, ifName.value());
    steps.mark("state-files");
    steps.done("pci", address);
    return Released.RESTORED;
  }

  /**
   * PF-side restore then the netdev back to the host ({@code inHost}: where the VF's netdev is in
   * the host namespace now, asked after the restore); returns what could not be done about the
   * netdev (PF-side failures are logged: retrying them cannot help).
   */
  private List<String> release(
      CniLog log,
      RtnlOperations host,
      Link pf,
      VfDevice vf,
      SriovCache c,
      Supplier<Optional<InterfaceName>> inHost,
      NamespaceVisit podVisit,
      CniLog.Steps steps) {
    List<String> pfFailures = pfSide.restore(host, pf.index(), vf, c.conf(), c.original());
    steps.mark("pf-side");
    for (String f : pfFailures) {
      log.warning("PF-side VF attribute not restored", "pci", vf.address(), "error", f);
    }
    boolean dpdk = c.dpdk().orElseGet(() -> vf.dpdk());
    if (dpdk || c.original().hostName().isEmpty()) {
      return List.of();
    }
    List<String> failures = new ArrayList<>();
    try {
      returnNetdev(host, vf, c, inHost.get(), podVisit, steps);
      steps.mark("netdev-back");
    } catch (NetlinkException | RuntimeException e) {
      failures.add("VF netdev not returned to the host: " + e.getMessage());
    }
    return failures;
  }

  /**
   * The VF's netdev back in the host under its name ({@code inHost}: where it is in the host now,
   * empty when not there; {@code podVisit}: the pod's, begun by the caller; null to open the pod's
   * rtnetlink here).
   */
  private void returnNetdev(
      RtnlOperations host,
      VfDevice vf,
      SriovCache c,
      Optional<InterfaceName> inHost,
      NamespaceVisit podVisit,
      CniLog.Steps steps)
      throws NetlinkException {
    InterfaceName hostName = c.original().hostName().orElseThrow();
    // with a visit its thread entered the namespace already (and keeps it alive): its socket tells
    // whether the pod is still there, so the namespace file is checked only when that fails
    Optional<Path> netns = c.netns();
    if (inHost.isEmpty() && netns.isPresent() && (podVisit != null || exists(netns.get()))) {
      steps.mark("where");
      try (RtnlOperations pod = podRtnl(podVisit, netns.get())) {
        steps.mark("pod-open");
        Optional<Link> l =
            pod == null ? Optional.empty() : VfMover.find(pod, c.ifName(), vf.address().toString());
        steps.mark("find");
        if (l.isPresent()) {
          mover.outOfPod(
              pod,
              host,
              l.get(),
              hostName,
              c.original().effectiveMac(),
              c.original().mtu(),
              c.ifName());
          return;
        }
      } catch (ErrnoException e) {
        if (!e.errno().equals(Errno.ENOENT)) {
          throw e;
        }
        // the namespace went away meanwhile: the kernel hands the VF back to the host
      }
    }
    long deadline = System.nanoTime() + RETURN_WAIT.toNanos();
    while (inHost.isEmpty() && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(20)); // namespace teardown is asynchronous in the kernel
      inHost = locator.netdev(vf.address());
    }
    if (inHost.isEmpty()) {
      throw new VfConfigException(
          "VF " + vf.address() + " is neither in the host nor in " + c.netns().orElse(Path.of("")));
    }
    mover.settleInHost(
        host, inHost.get(), hostName, c.ifName(), c.original().effectiveMac(), c.original().mtu());
  }

  /**
   * rtnetlink in the pod's namespace {@code ns} ({@code visit}'s when there is one); null when the
   * namespace is gone or its file no longer a namespace (the kernel hands the VF back to the host).
   */
  private RtnlOperations podRtnl(NamespaceVisit visit, Path ns) throws NetlinkException {
    try {
      return visit != null ? visit.rtnl() : namespaces.open(ns);
    } catch (ErrnoException e) {
      if (e.errno().equals(Errno.ENOENT) || !exists(ns)) {
        return null;
      }
      throw e;
    }
  }

  private Released releaseWithoutCache(
      CniLog log, InterfaceName ifName, Optional<Path> netns, SriovNetConf delConf)
      throws NetlinkException {
    PciAddress address = delConf.deviceId();
    Optional<Path> holder = state.allocatedNetns(address);
    if (holder.isPresent() && !holder.equals(netns) && exists(holder.get())) {
      log.info("no cache and VF held by another pod, leaving it", "pci", address);
      return Released.HELD_BY_ANOTHER_POD;
    }
    VfDevice vf;
    try {
      vf = locator.locate(address);
    } catch (InvalidNetConfException e) {
      return Released.NOTHING;
    }
    try (RtnlOperations host = namespaces.open(namespaces.hostNamespace())) {
      Link pf = PfSideConfig.pf(host, vf);
      VfSnapshot neutral = PfSideConfig.neutral(PfSideConfig.info(host, pf.index(), vf));
      for (String f : pfSide.restore(host, pf.index(), vf, delConf.withoutMac(), neutral)) {
        log.warning("PF-side VF attribute not reset", "pci", address, "error", f);
      }
      Optional<InterfaceName> inHost = locator.netdev(address);
      if (netns.isPresent() && inHost.isEmpty() && exists(netns.get())) {
        try (RtnlOperations pod = namespaces.open(netns.get())) {
          Optional<Link> l = VfMover.find(pod, ifName, address.toString());
          if (l.isPresent()) {
            Optional<InterfaceName> hostName = VfMover.recordedHostName(l.get());
            if (hostName.isPresent()) {
              mover.outOfPod(
                  pod,
                  host,
                  l.get(),
                  hostName.get(),
                  Optional.empty(),
                  OptionalInt.empty(),
                  ifName);
              return releasedWithoutCache(address, holder);
            }
            log.warning(
                "no cache and no host-name altname: the VF returns under its pod name",
                "pci",
                address,
                "ifName",
                ifName);
            pod.setUp(l.get().index(), false);
            pod.moveToNamespace(l.get().index(), namespaces.hostNamespace());
          }
        }
      } else if (inHost.isPresent()) {
        // the netns is gone (the kernel returned the VF) or an earlier DEL moved it
        Optional<Link> l = host.link(inHost.get().value());
        Optional<InterfaceName> hostName = l.flatMap(VfMover::recordedHostName);
        if (hostName.isPresent()) {
          mover.settleInHost(
              host, inHost.get(), hostName.get(), ifName, Optional.empty(), OptionalInt.empty());
        }
      }
    }
    return releasedWithoutCache(address, holder);
  }

  private Released releasedWithoutCache(PciAddress address, Optional<Path> holder) {
    if (holder.isPresent()) {
      state.release(address);
    }
    return Released.RESET_WITHOUT_CACHE;
  }

  /** A cache file as read: its bytes (to tell a later read's change) and what they say. */
  public record CacheRead(byte[] bytes, SriovCache cache) {
    public CacheRead {
      Objects.requireNonNull(bytes, "bytes");
      Objects.requireNonNull(cache, "cache");
    }
  }

  /**
   * The cache of an attachment with its bytes, {@code netns} filling what an upstream cache does
   * not say; an unreadable one is logged and removed (empty).
   */
  public Optional<CacheRead> readCache(
      CniLog log, String containerId, InterfaceName ifName, Optional<Path> netns) {
    return loadCache(log, containerId, ifName, netns, Optional.empty());
  }

  private Optional<CacheRead> loadCache(
      CniLog log,
      String containerId,
      InterfaceName ifName,
      Optional<Path> netns,
      Optional<CacheRead> before) {
    Optional<byte[]> bytes = state.readCache(containerId, ifName.value());
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    if (before.isPresent() && Arrays.equals(before.get().bytes(), bytes.get())) {
      return before; // the same file content parses to the same cache
    }
    try {
      return Optional.of(
          new CacheRead(bytes.get(), SriovCache.fromJson(bytes.get(), containerId, ifName, netns)));
    } catch (SriovCache.InvalidCacheException e) {
      log.warning(
          "unreadable cache removed",
          "containerID",
          containerId,
          "ifName",
          ifName,
          "error",
          e.getMessage());
      state.deleteCache(containerId, ifName.value());
      return Optional.empty();
    }
  }

  /** The cache of an attachment, for CHECK and GC. */
  public Optional<SriovCache> cache(CniLog log, String containerId, InterfaceName ifName) {
    return readCache(log, containerId, ifName, Optional.empty()).map(CacheRead::cache);
  }

  /** Every readable cache (GC); unreadable ones are logged and skipped. */
  public List<SriovCache> caches(CniLog log) {
    List<SriovCache> out = new ArrayList<>();
    for (Path p : state.caches()) {
      try {
        byte[] b = java.nio.file.Files.readAllBytes(p);
        String name = p.getFileName().toString();
        int dash = name.lastIndexOf('-');
        String cid = dash > 0 ? name.substring(0, dash) : name;
        String ifn = dash > 0 ? name.substring(dash + 1) : "eth0";
        out.add(SriovCache.fromJson(b, cid, InterfaceName.of(ifn), Optional.empty()));
      } catch (java.io.IOException | RuntimeException e) {
        log.warning("skipping an unreadable cache", "file", p, "error", e.getMessage());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------ CHECK

  /**
   * What differs from the ADD: PF-side attributes, and for a kernel VF the netdev in the pod
   * (there, the VF's, with {@code mac} and every address of {@code addresses}). Empty when all is
   * as ADD left it.
   */
  public List<String> check(
      SriovCache c, Optional<Path> netns, Optional<MacAddress> mac, List<IpPrefix> addresses)
      throws NetlinkException {
    List<String> problems = new ArrayList<>();
    VfDevice vf = locator.locate(c.deviceId());
    try (RtnlOperations host = namespaces.open(namespaces.hostNamespace())) {
      Link pf = PfSideConfig.pf(host, vf);
      VfInfo info = PfSideConfig.info(host, pf.index(), vf);
      for (String d : PfSideConfig.differences(info, c.conf())) {
        problems.add("VF " + vf.index().value() + " on " + vf.pfName() + " has not " + d);
      }
    }
    if (c.dpdk().orElseGet(vf::dpdk)) {
      return problems;
    }
    Path ns = netns.or(c::netns).orElseThrow(() -> new VfConfigException("CHECK needs CNI_NETNS"));
    try (RtnlOperations pod = namespaces.open(ns)) {
      Optional<Link> l = pod.link(c.ifName().value());
      if (l.isEmpty()) {
        problems.add("interface " + c.ifName() + " is not in " + ns);
        return problems;
      }
      Link link = l.get();
      if (link.parentDeviceName().isPresent()
          && !link.parentDeviceName().get().equals(c.deviceId().toString())) {
        problems.add(
            "interface "
                + c.ifName()
                + " in "
                + ns
                + " is "
                + link.parentDeviceName().get()
                + ", not the VF "
                + c.deviceId());
      }
      if (mac.isPresent() && !link.mac().equals(mac)) {
        problems.add(
            "interface "
                + c.ifName()
                + " has MAC "
                + link.mac().map(Object::toString).orElse("none")
                + ", not "
                + mac.get());
      }
      List<IpPrefix> present = new ArrayList<>();
      for (Address a : pod.addresses(link.index())) {
        present.add(a.prefix());
      }
      for (IpPrefix want : addresses) {
        if (!present.contains(want)) {
          problems.add("interface " + c.ifName() + " lacks address " + want);
        }
      }
    }
    return problems;
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Whether the namespace file at {@code netns} still opens (upstream's allocation check). */
  boolean exists(Path netns) {
    return namespaces.exists(netns);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VfConfigException("interrupted while waiting for the VF to return");
    }
  }
}
