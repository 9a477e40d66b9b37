package io.sriov.bond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.cni.plugin.CniErrorCode;
import io.sriov.cni.plugin.CniException;
import io.sriov.cni.plugin.CniLog;
import io.sriov.cni.plugin.CniPlugin;
import io.sriov.cni.plugin.CniRequest;
import io.sriov.cni.plugin.CniResult;
import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.cni.plugin.NetConf;
import io.sriov.cni.plugin.PluginStatus;
import io.sriov.core.json.JsonTrees;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Address;
import io.sriov.netlink.route.BondOptions;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfInfo;
import io.sriov.os.Errno;
import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The bond CNI plugin: bonds links (usually VFs that the sriov plugin moved into the pod before)
 * inside the pod's network namespace, as upstream bond-cni does, with rollback and a real CHECK.
 *
 * <ul>
 *   <li>ADD: with {@code linksInContainer: false} the links are moved in from the host (down, names
 *       kept); the slaves' and their PFs' MTUs are checked against {@code mtu} (upstream's rule,
 *       1500 when unset); the bond {@code CNI_IFNAME} is created with every option, the slaves
 *       enslaved (down, master, up), slaves of balance-tlb/alb sharing a MAC given a random locally
 *       administered one (the original kept in a state file and restored on DEL), the bond brought
 *       up, IPAM run and its addresses and routes put on the bond. Any failure undoes every
 *       completed step in reverse: the pod and the host are left as they were.
 *   <li>DEL: IPAM first; a missing netns, bond or slave is success (kubelet retries DEL, the sriov
 *       plugin may have taken the slaves already); slaves released (the kernel gives back their MAC
 *       and MTU), rewritten MACs restored, host-owned links moved back.
 *   <li>CHECK: the bond exists with the requested mode, options and MTU, every link is its slave,
 *       the prevResult's addresses are on it; IPAM checked.
 *   <li>GC: forwarded to IPAM; state files of attachments not in {@code cni.dev/valid-attachments}
 *       removed. STATUS: code 50 when the state directory cannot be written, rtnetlink does not
 *       answer (the sriov plugin's checks) or the kernel cannot create bonds (bonding neither
 *       loaded nor loadable), then forwarded to IPAM.
 * </ul>
 */
public final class BondPlugin implements CniPlugin {
  /** Upstream's state-less design has none; this one only records rewritten MACs. */
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/cni/bond");

  /** CHECK found the attachment not as ADD left it. */
  public static final CniErrorCode CHECK_FAILED = CniErrorCode.pluginSpecific(100);

  /** The MTU upstream validates with when the netconf sets none. */
  static final int DEFAULT_MTU = 1500;

  private final RtnlNamespaces namespaces;
  private final IpamDelegate ipam;
  private final Path stateDir;
  private final RandomGenerator random;
  private final BondingDriver driver;

  /**
   * @param driver whether the kernel can create bonds ({@link BondingDriver#kernel()} on a real
   *     node), reported by STATUS
   */
  public BondPlugin(
      RtnlNamespaces namespaces,
      IpamDelegate ipam,
      Path stateDir,
      RandomGenerator random,
      BondingDriver driver) {
    this.driver = Objects.requireNonNull(driver, "driver");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.ipam = Objects.requireNonNull(ipam, "ipam");
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.random = Objects.requireNonNull(random, "random");
  }

  // ------------------------------------------------------------------ ADD

  @Override
  public CniResult add(CniRequest req) {
    BondNetConf c = BondNetConf.parse(req.netConf());
    Path netns = req.netns().orElseThrow();
    InterfaceName ifName = req.interfaceName();
    CniLog log = req.log();
    Deque<Step> undo = new ArrayDeque<>();
    try (RtnlOperations host = namespaces.open(namespaces.hostNamespace());
        RtnlOperations pod = openPod(netns)) {
      try {
        return addSteps(req, c, netns, ifName, host, pod, undo);
      } catch (NetlinkException | IOException | RuntimeException e) {
        rollback(undo, log);
        throw e;
      }
    } catch (NetlinkException e) {
      throw netlink(e);
    } catch (IOException e) {
      throw new CniException(CniErrorCode.IO_FAILURE, "bond state: " + e.getMessage());
    }
  }

  private CniResult addSteps(
      CniRequest req,
      BondNetConf c,
      Path netns,
      InterfaceName ifName,
      RtnlOperations host,
      RtnlOperations pod,
      Deque<Step> undo)
      throws NetlinkException, IOException {
    if (pod.link(ifName.value()).isPresent()) {
      throw CniException.invalidEnv(
          "CNI_IFNAME " + ifName + ": a link of that name already exists in " + netns);
    }
    List<String> upInHost = new ArrayList<>();
    if (!c.linksInContainer()) {
      for (int i = 0; i < c.links().size(); i++) {
        InterfaceName name = c.links().get(i);
        Link l =
            host.link(name.value()).orElseThrow(() -> noSuchLink(c, name, "the host namespace"));
        boolean wasUp = l.isUp();
        if (wasUp) {
          upInHost.add(name.value());
          host.setUp(l.index(), false);
        }
        host.moveToNamespace(l.index(), netns);
        undo.push(
            new Step(
                "move " + name + " back to the host",
                () -> {
                  Optional<Link> inPod = pod.link(name.value());
                  if (inPod.isPresent()) {
                    pod.setUp(inPod.get().index(), false);
                    pod.moveToNamespace(inPod.get().index(), namespaces.hostNamespace());
                  }
                  if (wasUp) {
                    Optional<Link> back = host.link(name.value());
                    if (back.isPresent()) {
                      host.setUp(back.get().index(), true);
                    }
                  }
                }));
      }
    }
    List<Link> slaves = new ArrayList<>();
    for (InterfaceName name : c.links()) {
      Link l = pod.link(name.value()).orElseThrow(() -> noSuchLink(c, name, netns.toString()));
      if (l.master().isPresent()) {
        throw CniException.invalidConfig(
            "links: " + name + " already has a master (ifindex " + l.master().getAsInt() + ")");
      }
      slaves.add(l);
    }
    validateMtu(c, slaves, host);

    BondOptions options = options(c, slaves);
    Link bond = pod.create(new LinkSpec.Bond(ifName, options));
    undo.push(new Step("delete bond " + ifName, () -> pod.delete(bond.index())));
    if (c.mtu() > 0) {
      pod.setMtu(bond.index(), c.mtu());
    }

    Map<String, MacAddress> rewritten = uniqueMacs(c, slaves, pod, undo);
    if (!rewritten.isEmpty() || !upInHost.isEmpty()) {
      Path state = statePath(req);
      writeState(state, new State(rewritten, upInHost));
      undo.push(new Step("remove " + state, () -> Files.deleteIfExists(state)));
    }
    for (Link s : slaves) {
      boolean wasUp = s.isUp();
      pod.setUp(s.index(), false);
      pod.setMaster(s.index(), bond.index());
      undo.push(
          new Step(
              "release " + s.name(),
              () -> {
                pod.clearMaster(s.index());
                pod.setUp(s.index(), wasUp);
              }));
      pod.setUp(s.index(), true);
    }
    pod.setUp(bond.index(), true);

    CniResult ipamResult = CniResult.EMPTY;
    if (req.netConf().ipam().isPresent()) {
      ipamResult = ipam.add(req);
      undo.push(new Step("release the IPAM allocation", () -> ipam.del(req)));
      for (CniResult.IpConfig ip : ipamResult.ips()) {
        pod.addAddress(bond.index(), ip.address(), false);
      }
      for (CniResult.Route r : ipamResult.routesWithDefaultGateways()) {
        IpPrefix dst = r.dst().network();
        pod.addRoute(
            r.gw().isPresent()
                ? RouteSpec.via(dst, r.gw().get(), bond.index())
                : RouteSpec.onLink(dst, bond.index()));
      }
    }
    return result(req, c, netns, pod, bond, slaves, ipamResult);
  }

  private CniResult result(
      CniRequest req,
      BondNetConf c,
      Path netns,
      RtnlOperations pod,
      Link bond,
      List<Link> slaves,
      CniResult ipamResult)
      throws NetlinkException {
    List<CniResult.Interface> ifaces = new ArrayList<>();
    ifaces.add(iface(pod.link(bond.index()).orElse(bond), netns));
    for (Link s : slaves) {
      ifaces.add(iface(pod.link(s.index()).orElse(s), netns));
    }
    List<CniResult.IpConfig> ips = ipamResult.ips().stream().map(ip -> ip.onInterface(0)).toList();
    CniResult.Dns dns = req.netConf().dns().filter(d -> !d.isEmpty()).orElse(ipamResult.dns());
    return new CniResult(ifaces, ips, ipamResult.routes(), dns);
  }

  private static CniResult.Interface iface(Link l, Path netns) {
    return new CniResult.Interface(
        l.name().value(),
        l.mac().map(MacAddress::toString),
        OptionalInt.of(l.mtu()),
        Optional.of(netns.toString()),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Upstream's rule: the bond's MTU (1500 when unset) must not exceed any slave's, nor the MTU of
   * the PF a slave is a VF of (found by the slave's MAC in the host PFs' VF tables).
   */
  private static void validateMtu(BondNetConf c, List<Link> slaves, RtnlOperations host)
      throws NetlinkException {
    int mtu = c.mtu() > 0 ? c.mtu() : DEFAULT_MTU;
    String what = c.mtu() > 0 ? "mtu " + mtu : "the default MTU " + mtu + " (mtu not set)";
    for (Link s : slaves) {
      if (mtu > s.mtu()) {
        throw CniException.invalidConfig(what + ": above slave " + s.name() + "'s MTU " + s.mtu());
      }
    }
    Map<MacAddress, Link> pfByVfMac = new LinkedHashMap<>();
    for (Link l : host.links()) {
      List<VfInfo> vfs;
      try {
        vfs = host.vfs(l.index(), false);
      } catch (ErrnoException e) {
        continue; // not a PF, or gone meanwhile
      }
      for (VfInfo vf : vfs) {
        if (!vf.mac().isZero()) {
          pfByVfMac.putIfAbsent(vf.mac(), l);
        }
      }
    }
    for (Link s : slaves) {
      Link pf = s.mac().map(pfByVfMac::get).orElse(null);
      if (pf != null && mtu > pf.mtu()) {
        throw CniException.invalidConfig(
            what + ": above the MTU " + pf.mtu() + " of " + s.name() + "'s PF " + pf.name());
      }
    }
  }

  private static BondOptions options(BondNetConf c, List<Link> slaves) {
    BondOptions.Builder b =
        BondOptions.builder(c.mode()).miimon(c.miimon()).failOverMac(c.failOverMac());
    c.allSlavesActive().ifPresent(b::allSlavesActive);
    c.tlbDynamicLb().ifPresent(b::tlbDynamicLb);
    c.xmitHashPolicy().ifPresent(b::xmitHashPolicy);
    c.lacpRate().ifPresent(b::lacpRate);
    c.adSelect().ifPresent(b::adSelect);
    c.arpInterval().ifPresent(b::arpInterval);
    c.arpIpTargets().forEach(b::arpIpTarget);
    c.arpValidate().ifPresent(b::arpValidate);
    c.updelay().ifPresent(b::updelay);
    c.downdelay().ifPresent(b::downdelay);
    c.minLinks().ifPresent(b::minLinks);
    c.resendIgmp().ifPresent(b::resendIgmp);
    c.primary()
        .ifPresent(
            p ->
                slaves.stream()
                    .filter(s -> s.name().equals(p))
                    .findFirst()
                    .ifPresent(s -> b.primary(s.index())));
    return b.build();
  }

  /**
   * balance-tlb and balance-alb keep each slave's own MAC, so slaves must not share one (the sriov
   * plugin may have given two VFs the same): later duplicates get a random locally administered
   * unicast MAC. Returns the originals by slave name.
   */
  private Map<String, MacAddress> uniqueMacs(
      BondNetConf c, List<Link> slaves, RtnlOperations pod, Deque<Step> undo)
      throws NetlinkException {
    Map<String, MacAddress> rewritten = new LinkedHashMap<>();
    if (c.mode() != io.sriov.netlink.route.BondMode.BALANCE_TLB
        && c.mode() != io.sriov.netlink.route.BondMode.BALANCE_ALB) {
      return rewritten;
    }
    Set<MacAddress> seen = new HashSet<>();
    for (int i = 0; i < slaves.size(); i++) {
      Link s = slaves.get(i);
      Optional<MacAddress> mac = s.mac();
      if (mac.isEmpty() || seen.add(mac.get())) {
        continue;
      }
      MacAddress fresh;
      do {
        byte[] b = new byte[6];
        random.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfe) | 0x02); // unicast, locally administered
        fresh = MacAddress.of(b);
      } while (!seen.add(fresh));
      pod.setMac(s.index(), fresh);
      MacAddress original = mac.get();
      undo.push(new Step("restore " + s.name() + "'s MAC", () -> pod.setMac(s.index(), original)));
      rewritten.put(s.name().value(), original);
      slaves.set(i, pod.link(s.index()).orElse(s));
    }
    return rewritten;
  }

  // ------------------------------------------------------------------ DEL

  @Override
  public void del(CniRequest req) {
    BondNetConf c = BondNetConf.parse(req.netConf());
    if (req.netConf().ipam().isPresent()) {
      ipam.del(req);
    }
    Path state = statePath(req);
    Optional<Path> netns = req.netns();
    if (netns.isEmpty()) {
      req.log().info("no netns: nothing left in the pod to undo", "ifName", req.interfaceName());
      deleteState(state);
      return;
    }
    State saved = readState(state);
    Map<String, MacAddress> macs = saved.originalMacs();
    try (RtnlOperations pod = openPodForDel(netns.get(), req.log())) {
      if (pod == null) {
        deleteState(state);
        return;
      }
      Optional<Link> bond = pod.link(req.interfaceName().value());
      if (bond.isPresent() && bond.get().kind().filter("bond"::equals).isEmpty()) {
        throw CniException.invalidConfig(
            "CNI_IFNAME "
                + req.interfaceName()
                + " in "
                + netns.get()
                + " is not a bond (kind "
                + bond.get().kind().orElse("none")
                + "): left alone");
      }
      if (bond.isPresent()) {
        int index = bond.get().index();
        pod.setUp(index, false);
        for (Link s : pod.links()) {
          if (s.master().orElse(0) == index) {
            pod.setUp(s.index(), false);
            pod.clearMaster(s.index());
            MacAddress original = macs.get(s.name().value());
            if (original != null) {
              pod.setMac(s.index(), original);
            }
            pod.setUp(s.index(), true);
          }
        }
        pod.delete(index);
      }
      if (!c.linksInContainer()) {
        try (RtnlOperations host = namespaces.open(namespaces.hostNamespace())) {
          for (InterfaceName name : c.links()) {
            Optional<Link> l = pod.link(name.value());
            if (l.isEmpty()) {
              continue; // already gone (the sriov plugin's DEL may have run first)
            }
            pod.setUp(l.get().index(), false);
            pod.moveToNamespace(l.get().index(), namespaces.hostNamespace());
            Optional<Link> back = host.link(name.value());
            MacAddress original = macs.get(name.value());
            if (back.isPresent() && original != null && bond.isEmpty()) {
              setMacQuietly(host, back.get(), original);
            }
            if (back.isPresent() && saved.upInHost().contains(name.value())) {
              host.setUp(back.get().index(), true); // as it was before ADD
            }
          }
        }
      }
    } catch (NetlinkException e) {
      throw netlink(e);
    }
    deleteState(state);
  }

  private static void setMacQuietly(RtnlOperations ops, Link l, MacAddress mac) {
    try {
      ops.setMac(l.index(), mac);
    } catch (NetlinkException e) {
      // best effort on DEL: the sriov plugin resets the VF's MAC through its PF anyway
    }
  }

  // ------------------------------------------------------------------ CHECK

  @Override
  public void check(CniRequest req) {
    BondNetConf c = BondNetConf.parse(req.netConf());
    Path netns = req.netns().orElseThrow();
    InterfaceName ifName = req.interfaceName();
    try (RtnlOperations pod = openPod(netns)) {
      Link bond =
          pod.link(ifName.value())
              .orElseThrow(() -> checkFailed("bond " + ifName + " not found in " + netns));
      if (bond.kind().filter("bond"::equals).isEmpty() || bond.bond().isEmpty()) {
        throw checkFailed(ifName + " in " + netns + " is not a bond");
      }
      List<Link> slaves = new ArrayList<>();
      for (InterfaceName name : c.links()) {
        Link s =
            pod.link(name.value())
                .orElseThrow(() -> checkFailed("slave " + name + " not found in " + netns));
        if (s.master().orElse(0) != bond.index()) {
          throw checkFailed("slave " + name + " is not enslaved to " + ifName);
        }
        slaves.add(s);
      }
      compare(ifName, options(c, slaves), bond.bond().get());
      if (c.mtu() > 0 && bond.mtu() != c.mtu()) {
        throw checkFailed(ifName + ": mtu " + bond.mtu() + ", want " + c.mtu());
      }
      if (!bond.isUp()) {
        throw checkFailed(ifName + " is down");
      }
      checkAddresses(req, pod, bond, netns);
    } catch (NetlinkException e) {
      throw netlink(e);
    }
    if (req.netConf().ipam().isPresent()) {
      ipam.check(req);
    }
  }

  /** Every option the netconf sets must read back as set (the kernel reports them all). */
  private static void compare(InterfaceName ifName, BondOptions want, BondOptions got) {
    List<String> diffs = new ArrayList<>();
    diff(diffs, "mode", Optional.of(want.mode()), Optional.of(got.mode()));
    diff(diffs, "miimon", want.miimon(), got.miimon());
    diff(diffs, "failOverMac", want.failOverMac(), got.failOverMac());
    diff(diffs, "xmitHashPolicy", want.xmitHashPolicy(), got.xmitHashPolicy());
    diff(diffs, "lacpRate", want.lacpRate(), got.lacpRate());
    diff(diffs, "adSelect", want.adSelect(), got.adSelect());
    diff(diffs, "arpInterval", want.arpInterval(), got.arpInterval());
    if (!want.arpIpTargets().isEmpty()
        && !Set.copyOf(want.arpIpTargets()).equals(Set.copyOf(got.arpIpTargets()))) {
      diffs.add(
          "arpIpTargets "
              + got.arpIpTargets().stream().map(IpPrefix::format).toList()
              + ", want "
              + want.arpIpTargets().stream().map(IpPrefix::format).toList());
    }
    diff(diffs, "arpValidate", want.arpValidate(), got.arpValidate());
    diff(diffs, "primary (ifindex)", want.primary(), got.primary());
    diff(diffs, "updelay", want.updelay(), got.updelay());
    diff(diffs, "downdelay", want.downdelay(), got.downdelay());
    diff(diffs, "minLinks", want.minLinks(), got.minLinks());
    diff(diffs, "allSlavesActive", want.allSlavesActive(), got.allSlavesActive());
    diff(diffs, "tlbDynamicLb", want.tlbDynamicLb(), got.tlbDynamicLb());
    diff(diffs, "resendIgmp", want.resendIgmp(), got.resendIgmp());
    if (!diffs.isEmpty()) {
      throw checkFailed(ifName + ": " + String.join("; ", diffs));
    }
  }

  private static void diff(List<String> out, String what, Optional<?> want, Optional<?> got) {
    if (want.isPresent() && !want.equals(got)) {
      out.add(what + " " + got.map(Object::toString).orElse("unset") + ", want " + want.get());
    }
  }

  private static void diff(List<String> out, String what, OptionalInt want, OptionalInt got) {
    if (want.isPresent() && !want.equals(got)) {
      out.add(
          what
              + " "
              + (got.isPresent() ? Integer.toString(got.getAsInt()) : "unset")
              + ", want "
              + want.getAsInt());
    }
  }

  private static void checkAddresses(CniRequest req, RtnlOperations pod, Link bond, Path netns)
      throws NetlinkException {
    Optional<CniResult> prev = req.netConf().prevResult();
    if (prev.isEmpty()) {
      return;
    }
    List<CniResult.Interface> ifaces = prev.get().interfaces();
    Set<String> have = new HashSet<>();
    for (Address a : pod.addresses(bond.index())) {
      have.add(a.prefix().compact());
    }
    for (CniResult.IpConfig ip : prev.get().ips()) {
      boolean ours =
          ip.interfaceIndex().isPresent()
              && ip.interfaceIndex().getAsInt() < ifaces.size()
              && ifaces.get(ip.interfaceIndex().getAsInt()).name().equals(bond.name().value())
              && ifaces
                  .get(ip.interfaceIndex().getAsInt())
                  .sandbox()
                  .map(netns.toString()::equals)
                  .orElse(false);
      if (ours && !have.contains(ip.address().compact())) {
        throw checkFailed(bond.name() + ": address " + ip.address().compact() + " missing");
      }
    }
  }

  // ------------------------------------------------------------------ GC, STATUS

  @Override
  public void gc(CniRequest req) {
    if (req.netConf().ipam().isPresent()) {
      ipam.gc(req);
    }
    Set<String> valid = new HashSet<>();
    for (NetConf.Attachment a : req.netConf().validAttachments()) {
      valid.add(stateName(a.containerId(), a.ifName()));
    }
    List<String> failures = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*.json")) {
      for (Path f : files) {
        if (!valid.contains(f.getFileName().toString())) {
          try {
            Files.deleteIfExists(f);
            req.log().info("gc: removed state of a gone attachment", "file", f);
          } catch (IOException e) {
            failures.add(f + ": " + e.getMessage());
          }
        }
      }
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      failures.add(stateDir + ": " + e.getMessage());
    }
    if (!failures.isEmpty()) {
      throw new CniException(
          CniErrorCode.IO_FAILURE,
          "gc: " + failures.size() + " state file(s) not removed",
          String.join("; ", failures));
    }
  }

  /**
   * Code 50 (plugin not available) when ADD could not work: what the sriov plugin's STATUS checks
   * (the state directory can be written, rtnetlink answers; {@link PluginStatus}), then whether the
   * node can create bonds ({@link BondingDriver}); then IPAM's STATUS.
   */
  @Override
  public void status(CniRequest req) {
    PluginStatus.requireWritableDirectory("state directory", stateDir);
    PluginStatus.requireAvailable("rtnetlink", namespaces::probeHost);
    Optional<String> missing = driver.unavailable();
    if (missing.isPresent()) {
      throw new CniException(CniErrorCode.PLUGIN_NOT_AVAILABLE, missing.get());
    }
    if (req.netConf().ipam().isPresent()) {
      ipam.status(req);
    }
  }

  // ------------------------------------------------------------------ helpers

  private RtnlOperations openPod(Path netns) throws NetlinkException {
    try {
      return namespaces.open(netns);
    } catch (ErrnoException e) {
      if (e.errno().equals(Errno.ENOENT)) {
        throw new CniException(
            CniErrorCode.UNKNOWN_CONTAINER, "netns " + netns + " does not exist", e.getMessage());
      }
      throw e;
    }
  }

  /** The pod's rtnetlink, or null when its netns is gone (DEL then has nothing left to undo). */
  private RtnlOperations openPodForDel(Path netns, CniLog log) throws NetlinkException {
    try {
      return namespaces.open(netns);
    } catch (ErrnoException e) {
      if (e.errno().equals(Errno.ENOENT)) {
        log.info("netns gone: nothing left in the pod to undo", "netns", netns);
        return null;
      }
      throw e;
    }
  }

  private Path statePath(CniRequest req) {
    return stateDir.resolve(stateName(req.container(), req.interfaceName()));
  }

  /** Both parts validated (container id by libcni's rule, interface name by the kernel's). */
  static String stateName(String containerId, InterfaceName ifName) {
    return containerId + "-" + ifName.value() + ".json";
  }

  /**
   * What DEL needs and cannot read from the kernel: the MACs this plugin rewrote (by slave name)
   * and which host links were up before ADD moved them into the pod.
   */
  record State(Map<String, MacAddress> originalMacs, List<String> upInHost) {
    static final State NONE = new State(Map.of(), List.of());
  }

  private static void writeState(Path state, State s) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ObjectNode m = o.putObject("originalMacs");
    s.originalMacs().forEach((k, v) -> m.put(k, v.toString()));
    s.upInHost().forEach(o.putArray("upInHost")::add);
    AtomicFiles.write(state, JsonTrees.write(o));
  }

  private static State readState(Path state) {
    Map<String, MacAddress> macs = new LinkedHashMap<>();
    List<String> up = new ArrayList<>();
    try {
      JsonNode o = JsonTrees.read(Files.readAllBytes(state));
      o.path("originalMacs")
          .fields()
          .forEachRemaining(e -> macs.put(e.getKey(), MacAddress.parse(e.getValue().asText())));
      o.path("upInHost").forEach(n -> up.add(n.asText()));
    } catch (IOException | IllegalArgumentException e) {
      // missing (nothing to restore) or unreadable: DEL must not fail on it (the pod would hang
      // in Terminating); it restores what the kernel itself can tell
      return State.NONE;
    }
    return new State(macs, up);
  }

  private static void deleteState(Path state) {
    try {
      Files.deleteIfExists(state);
    } catch (IOException e) {
      // GC removes it later
    }
  }

  private static CniException noSuchLink(BondNetConf c, InterfaceName name, String where) {
    return CniException.invalidConfig(
        "links[" + c.links().indexOf(name) + "].name " + name + ": no such link in " + where);
  }

  private static CniException checkFailed(String msg) {
    return new CniException(CHECK_FAILED, msg);
  }

  /** A kernel refusal: EBUSY/EAGAIN are worth a retry (code 11), the rest is an I/O failure. */
  static CniException netlink(NetlinkException e) {
    if (e instanceof ErrnoException x
        && (x.errno().equals(Errno.EBUSY) || x.errno().equals(Errno.EAGAIN))) {
      return new CniException(CniErrorCode.TRY_AGAIN_LATER, e.getMessage());
    }
    return new CniException(CniErrorCode.IO_FAILURE, e.getMessage());
  }

  private static void rollback(Deque<Step> undo, CniLog log) {
    while (!undo.isEmpty()) {
      Step s = undo.pop();
      try {
        s.action().run();
      } catch (Exception e) {
        log.error("rollback step failed", "step", s.what(), "error", e);
      }
    }
  }

  /** One completed ADD step's undo. */
  private record Step(String what, Action action) {}

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }
}
