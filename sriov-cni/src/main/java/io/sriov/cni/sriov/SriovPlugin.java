package io.sriov.cni.sriov;

import io.sriov.cni.plugin.CniErrorCode;
import io.sriov.cni.plugin.CniException;
import io.sriov.cni.plugin.CniLog;
import io.sriov.cni.plugin.CniPlugin;
import io.sriov.cni.plugin.CniRequest;
import io.sriov.cni.plugin.CniResult;
import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.cni.plugin.NetConf;
import io.sriov.cni.plugin.PluginStatus;
import io.sriov.core.json.JsonBindException;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlNamespaces;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The SR-IOV CNI plugin ({@code "type": "sriov"}), a drop-in for upstream sriov-cni: {@link
 * SriovVfEngine} under the per-VF lock, IPAM through the delegate, results and errors in the spec's
 * terms. A library: the standalone {@link SriovCniMain} and the node daemon's CNI server run the
 * same instance logic.
 *
 * <p>Error codes: 4 (environment, from cni-plugin), 6 (a netconf value of the wrong JSON type), 7
 * (an invalid value, a {@code deviceID} that is not a usable VF, the interface already in the pod),
 * 11 (the VF is held by a pod whose namespace still exists, or its lock stayed busy), 5 (the state
 * directory), 999 (the kernel refused a step; the message names it), the IPAM plugin's own code
 * relayed; CHECK's differences are code 100.
 */
public final class SriovPlugin implements CniPlugin {
  /** CHECK found the attachment differing from what ADD set up. */
  public static final CniErrorCode CHECK_FAILED = CniErrorCode.pluginSpecific(100);

  /** Upstream's flock timeout. */
  public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

  private final SriovVfEngine engine;
  private final IpamDelegate ipam;
  private final RtnlNamespaces namespaces;
  private final Duration lockTimeout;

  public SriovPlugin(
      SriovVfEngine engine, IpamDelegate ipam, RtnlNamespaces namespaces, Duration lockTimeout) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.ipam = Objects.requireNonNull(ipam, "ipam");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
  }

  // ------------------------------------------------------------------------------------ ADD

  @Override
  public CniResult add(CniRequest req) {
    SriovNetConf conf = bind(req);
    Path netns =
        req.netns().orElseThrow(() -> CniException.invalidEnv("CNI_NETNS is required for ADD"));
    CniLog log = req.log();
    CniLog.Steps steps = log.steps("ADD");
    try (StateDir.VfLock lock = engine.state().lock(conf.deviceId(), lockTimeout)) {
      steps.mark("lock");
      // the attachment holds the pod's socket until the end of the ADD (configureIp uses it)
      try (Attachment a =
          engine.attach(
              log,
              req.container(),
              req.interfaceName(),
              netns,
              (com.fasterxml.jackson.databind.node.ObjectNode) req.netConf().document().node(),
              conf)) {
        steps.mark("attach");
        CniResult ipamResult = CniResult.EMPTY;
        boolean ipamAdded = false;
        try {
          if (conf.ipamType().isPresent()) {
            ipamResult = ipam.add(req);
            ipamAdded = true;
            steps.mark("ipam");
          }
          List<IpPrefix> addresses = new ArrayList<>();
          for (CniResult.IpConfig ip : ipamResult.ips()) {
            addresses.add(ip.address());
          }
          engine.configureIp(a, addresses, routes(ipamResult, a.podIndex()));
          steps.mark("configure-ip");
        } catch (RuntimeException | NetlinkException e) {
          if (ipamAdded) {
            try {
              ipam.del(req);
            } catch (RuntimeException undo) {
              e.addSuppressed(undo);
            }
          }
          engine.detachAfterFailure(log, a, e);
          throw e;
        }
        log.info(
            "added",
            "pci",
            conf.deviceId(),
            "pf",
            a.vf().pfName(),
            "vf",
            a.vf().index().value(),
            "dpdk",
            a.dpdk(),
            "ifName",
            req.interfaceName(),
            "netns",
            netns);
        CniResult r = result(req, a, ipamResult);
        steps.done("pci", conf.deviceId());
        return r;
      }
    } catch (NetlinkException | RuntimeException e) {
      throw mapped(e);
    }
  }

  private static CniResult result(CniRequest req, Attachment a, CniResult ipamResult) {
    CniResult.Interface iface =
        new CniResult.Interface(
            req.interfaceName().value(),
            a.mac().map(MacAddress::toString),
            OptionalInt.of(a.mtu()),
            req.netns().map(Path::toString),
            Optional.empty(),
            Optional.of(a.vf().address().toString()));
    List<CniResult.IpConfig> ips = new ArrayList<>();
    for (CniResult.IpConfig ip : ipamResult.ips()) {
      ips.add(ip.onInterface(0));
    }
    return new CniResult(List.of(iface), ips, ipamResult.routes(), ipamResult.dns());
  }

  /**
   * The IPAM routes on the VF, with libcni's default gateways ({@link
   * CniResult#routesWithDefaultGateways}).
   */
  static List<RouteSpec> routes(CniResult r, OptionalInt podIndex) {
    if (podIndex.isEmpty()) {
      return List.of();
    }
    List<RouteSpec> out = new ArrayList<>();
    for (CniResult.Route route : r.routesWithDefaultGateways()) {
      out.add(
          new RouteSpec(
              route.dst(),
              route.gw(),
              podIndex,
              route.table().orElse(Rtnetlink.RT_TABLE_MAIN),
              route.priority(),
              Optional.empty()));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------ DEL

  @Override
  public void del(CniRequest req) {
    CniLog log = req.log();
    Optional<SriovNetConf> parsed;
    try {
      parsed = Optional.of(bind(req));
    } catch (CniException e) {
      parsed = Optional.empty(); // DEL must not fail on a netconf it could once accept
    }
    Optional<SriovNetConf> conf = parsed;
    CniLog.Steps steps = log.steps("DEL");
    // read again under the lock by the release, parsed again only when it changed meanwhile
    Optional<SriovVfEngine.CacheRead> read =
        engine.readCache(log, req.container(), req.interfaceName(), req.netns());
    Optional<SriovCache> cache = read.map(SriovVfEngine.CacheRead::cache);
    steps.mark("cache");
    Optional<SriovNetConf> vfConf = cache.map(SriovCache::conf).or(() -> conf);
    RuntimeException ipamFailure = null;
    if (conf.flatMap(SriovNetConf::ipamType).isPresent()) {
      try {
        ipam.del(req);
      } catch (RuntimeException e) {
        ipamFailure = e; // the VF is still given back; the runtime retries the whole DEL
      }
      steps.mark("ipam");
    }
    if (vfConf.isEmpty()) {
      log.info("nothing to release: no cache and no usable deviceID in the DEL netconf");
    } else {
      try (StateDir.VfLock lock = engine.state().lock(vfConf.get().deviceId(), lockTimeout)) {
        steps.mark("lock");
        SriovVfEngine.Released r =
            engine.release(
                log, req.container(), req.interfaceName(), req.netns(), vfConf.get(), read);
        steps.mark("release");
        log.info("deleted", "pci", vfConf.get().deviceId(), "outcome", r);
        steps.done("pci", vfConf.get().deviceId());
      } catch (NetlinkException | RuntimeException e) {
        CniException m = mapped(e);
        if (ipamFailure != null) {
          m.addSuppressed(ipamFailure);
        }
        throw m;
      }
    }
    if (ipamFailure != null) {
      throw mapped(ipamFailure);
    }
  }

  // ------------------------------------------------------------------------------------ CHECK

  @Override
  public void check(CniRequest req) {
    SriovNetConf conf = bind(req);
    CniLog log = req.log();
    SriovCache cache =
        engine
            .cache(log, req.container(), req.interfaceName())
            .orElseThrow(
                () ->
                    new CniException(
                        CniErrorCode.UNKNOWN_CONTAINER,
                        "no attachment of container "
                            + req.container()
                            + " interface "
                            + req.interfaceName()
                            + " is cached (ADD did not run or DEL already did)"));
    if (!cache.deviceId().equals(conf.deviceId())) {
      throw new CniException(
          CHECK_FAILED,
          "deviceID "
              + conf.deviceId()
              + " differs from the VF "
              + cache.deviceId()
              + " ADD attached");
    }
    Optional<MacAddress> mac = Optional.empty();
    List<IpPrefix> addresses = new ArrayList<>();
    Optional<CniResult> prev = req.netConf().prevResult();
    if (prev.isPresent()) {
      List<CniResult.Interface> ifs = prev.get().interfaces();
      for (int i = 0; i < ifs.size(); i++) {
        CniResult.Interface f = ifs.get(i);
        if (!f.name().equals(req.interfaceName().value())
            || (f.sandbox().isPresent()
                && req.netns().isPresent()
                && !f.sandbox().get().equals(req.netns().get().toString()))) {
          continue;
        }
        try {
          mac = f.mac().filter(m -> !m.isEmpty()).map(MacAddress::parse);
        } catch (IllegalArgumentException e) {
          throw CniException.decoding("prevResult: interface " + f.name() + ": " + e.getMessage());
        }
        for (CniResult.IpConfig ip : prev.get().ips()) {
          if (ip.interfaceIndex().isEmpty() || ip.interfaceIndex().getAsInt() == i) {
            addresses.add(ip.address());
          }
        }
      }
    }
    List<String> problems;
    try (StateDir.VfLock lock = engine.state().lock(cache.deviceId(), lockTimeout)) {
      problems =
          engine.check(cache, req.netns(), mac, cache.dpdk().orElse(false) ? List.of() : addresses);
    } catch (NetlinkException | RuntimeException e) {
      throw mapped(e);
    }
    if (!problems.isEmpty()) {
      throw new CniException(CHECK_FAILED, String.join("; ", problems));
    }
    if (conf.ipamType().isPresent()) {
      ipam.check(req);
    }
  }

  // ------------------------------------------------------------------------------------ GC

  @Override
  public void gc(CniRequest req) {
    CniLog log = req.log();
    Set<String> valid = new HashSet<>();
    for (NetConf.Attachment a : req.netConf().validAttachments()) {
      valid.add(a.containerId() + "\0" + a.ifName().value());
    }
    List<String> failures = new ArrayList<>();
    for (SriovCache c : engine.caches(log)) {
      if (valid.contains(c.containerId() + "\0" + c.ifName().value())) {
        continue;
      }
      try (StateDir.VfLock lock = engine.state().lock(c.deviceId(), lockTimeout)) {
        SriovVfEngine.Released r =
            engine.release(log, c.containerId(), c.ifName(), c.netns(), c.conf());
        log.info(
            "collected a stale attachment",
            "containerID",
            c.containerId(),
            "ifName",
            c.ifName(),
            "pci",
            c.deviceId(),
            "outcome",
            r);
      } catch (NetlinkException | RuntimeException e) {
        failures.add(c.containerId() + "/" + c.ifName() + ": " + e.getMessage());
      }
    }
    if (req.netConf().ipamType().isPresent()) {
      try {
        ipam.gc(req);
      } catch (CniException e) {
        failures.add("IPAM GC: " + e.msg());
      }
    }
    if (!failures.isEmpty()) {
      throw new CniException(
          CniErrorCode.INTERNAL, "GC incomplete: " + String.join("; ", failures));
    }
  }

  // ------------------------------------------------------------------------------------ STATUS

  @Override
  public void status(CniRequest req) {
    PluginStatus.requireWritableDirectory("state directory", engine.state().root());
    PluginStatus.requireAvailable("rtnetlink", namespaces::probeHost);
    if (req.netConf().ipamType().isPresent()) {
      ipam.status(req);
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static SriovNetConf bind(CniRequest req) {
    try {
      return SriovNetConf.parse(req.netConf().document().node(), req.args().get("MAC"));
    } catch (JsonBindException e) {
      throw CniException.decoding("failed to load netconf: " + e.getMessage());
    } catch (InvalidNetConfException e) {
      throw CniException.invalidConfig(e.getMessage());
    }
  }

  /** The spec's code for each failure the plugin expects; anything else is relayed as it is. */
  static CniException mapped(Exception e) {
    if (e instanceof CniException c) {
      return c;
    }
    if (e instanceof InvalidNetConfException) {
      return CniException.invalidConfig(e.getMessage());
    }
    if (e instanceof JsonBindException) {
      return CniException.decoding("failed to load netconf: " + e.getMessage());
    }
    if (e instanceof VfAllocatedException || e instanceof VfLockTimeoutException) {
      return new CniException(CniErrorCode.TRY_AGAIN_LATER, e.getMessage());
    }
    if (e instanceof UncheckedIOException) {
      return new CniException(CniErrorCode.IO_FAILURE, e.getMessage(), e);
    }
    if (e instanceof NetlinkException || e instanceof VfConfigException) {
      return new CniException(CniErrorCode.INTERNAL, e.getMessage(), e);
    }
    if (e instanceof RuntimeException r) {
      throw r; // a bug: CniRunner reports it as code 999 with its trace in the log
    }
    return new CniException(CniErrorCode.INTERNAL, String.valueOf(e.getMessage()), e);
  }
}
