package io.sriov.simulator.netlink;

import io.sriov.core.port.EventSource;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.LinkStats;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlRequests;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfStats;
import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED kernel network stack: network namespaces with their links, addresses and routes, the
 * PFs' VF tables, and what {@code ip link}, {@code ip addr} and {@code ip route} do to them, with
 * the kernel's refusals as the same {@link ErrnoException}s (operation, errno, extended ack) that
 * {@code RtnlClient} raises. {@link #open(Path)} gives {@link
 * io.sriov.netlink.route.RtnlOperations} bound to one namespace, so code written against the ports
 * runs unchanged on it.
 *
 * <p>Modelled: links (loopback per namespace, the node's hardware netdevs, veth, macvlan, bridge,
 * bond) with ifindex (per namespace, lo = 1, kept on a move when free), name, altnames, MTU within
 * min/max, MAC, up/down, carrier and oper state derived as the kernel does (veth from its peer, VF
 * from its PF and link-state, bond from its slaves and min_links, bridge from its ports), master;
 * renames (refused while up only with {@link Kernel#BEFORE_6_2}); moves between namespaces (down,
 * addresses and routes dropped, master released; lo, bridges and bonds stay); VF attributes with
 * the PF driver's own refusals ({@link DriverProfile}); bonds (slave must be down, takes the bond's
 * MAC, is closed again on release); IPv4/IPv6 addresses (IPv6 ones dropped when the link goes down)
 * and routes (connected routes derived from addresses on up links). Not modelled: IPv6 link-local
 * addresses, the local routing table, multipath routes, bond option/mode checks (the bond plugin
 * validates them first), the active slave, traffic. Bonds report their options with the bonding
 * driver's defaults filled in, as {@code ip -d link} does, and pass their MTU to their slaves
 * (restored on release), as {@code bond_enslave} and {@code bond_change_mtu} do.
 *
 * <p>Every change is reported to the {@link LinkChangeListener}s (the simulated node keeps its
 * sysfs tree and link monitor consistent from them). Thread-safe: one lock for everything (its own,
 * or the one given).
 */
public final class SimulatedNetwork implements RtnlNamespaces {
  private static final Logger log = LoggerFactory.getLogger(SimulatedNetwork.class);

  /** The node's own namespace, named as the kernel implementation names it. */
  public static final Path HOST = Path.of("/proc/self/ns/net");

  /** Kernel behaviour that changed between versions. */
  public enum Kernel {
    /** Linux 6.2 and later (the host's 6.18, the e2e guest's 6.12): live renames allowed. */
    LINUX_6_2_OR_LATER,
    /** Before 6.2 (RHEL 8/9's 4.18/5.14): renaming an up link is EBUSY. */
    BEFORE_6_2
  }

  private final Kernel kernel;
  private final Object lock;
  private final Map<Path, SimNamespace> namespaces = new LinkedHashMap<>();
  private final List<SimLink> links = new ArrayList<>(); // every namespace, creation order

  /** The hardware links by their PCI function (as the kernel reaches a VF's PF: no scan). */
  private final Map<PciAddress, SimLink> hardware = new HashMap<>();

  /** VF admin MACs the PF's driver refuses ({@link #refuseVfMac}), with the errno it answers. */
  private final Map<RefusedMac, Errno> refusedMacs = new HashMap<>();

  private record RefusedMac(PciAddress pf, int vf, MacAddress mac) {}

  private final List<LinkChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Random random = new Random(0x5121); // deterministic MACs for software links
  private long nextId;

  /**
   * A node whose host namespace holds {@code hardware} (each registered and brought up, as the
   * distro's network configuration would at boot) plus lo.
   */
  public SimulatedNetwork(List<HardwareNetdev> hardware, Kernel kernel) {
    this(hardware, kernel, new Object());
  }

  /**
   * As {@link #SimulatedNetwork(List, Kernel)}, guarding its state with {@code lock}: the simulated
   * node passes its simulated sysfs kernel's lock, so a listener that updates the sysfs tree and a
   * sysfs write that registers a netdev never wait for each other in opposite order.
   */
  public SimulatedNetwork(List<HardwareNetdev> hardware, Kernel kernel, Object lock) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.lock = Objects.requireNonNull(lock, "lock");
    createNamespace(HOST);
    for (HardwareNetdev hw : hardware) {
      addNetdev(hw, true);
    }
  }

  /** As {@link #SimulatedNetwork(List, Kernel)} with today's kernel behaviour. */
  public SimulatedNetwork(List<HardwareNetdev> hardware) {
    this(hardware, Kernel.LINUX_6_2_OR_LATER);
  }

  // ---------------------------------------------------------------- RtnlNamespaces

  @Override
  public Path hostNamespace() {
    return HOST;
  }

  /** rtnetlink bound to the namespace at {@code namespace} (ENOENT when there is none). */
  @Override
  public SimulatedRtnl open(Path namespace) throws ErrnoException {
    synchronized (lock) {
      if (!namespaces.containsKey(namespace)) {
        throw new ErrnoException("open netns " + namespace, Errno.ENOENT);
      }
      return new SimulatedRtnl(this, namespace);
    }
  }

  /** rtnetlink bound to the host namespace, which always exists. */
  public SimulatedRtnl openHost() {
    return new SimulatedRtnl(this, HOST);
  }

  // ---------------------------------------------------------------- namespaces

  /**
   * {@code ip netns add}, or a container runtime creating a pod's namespace: a new namespace at
   * {@code path} with only lo (down).
   */
  public void createNamespace(Path path) {
    synchronized (lock) {
      Objects.requireNonNull(path, "path");
      if (namespaces.containsKey(path)) {
        throw new IllegalArgumentException("SIMULATION: network namespace " + path + " exists");
      }
      SimNamespace ns = new SimNamespace(path);
      namespaces.put(path, ns);
      SimLink lo =
          new SimLink(nextId++, SimLink.Type.LOOPBACK, null, 65536, 65536, SimVfTable.ZERO_MAC);
      lo.name = InterfaceName.of("lo");
      place(lo, ns, ns.allocateIndex());
      links.add(lo);
    }
  }

  /**
   * The namespace's last reference goes away (pod deleted): its hardware netdevs return to the host
   * namespace (down; renamed {@code devN} if their name is taken there, as the kernel does), every
   * other link in it is deleted (with a veth's peer elsewhere).
   */
  public void deleteNamespace(Path path) {
    if (path.equals(HOST)) {
      throw new IllegalArgumentException("SIMULATION: the host namespace cannot be deleted");
    }
    mutateUnchecked(
        () -> {
          SimNamespace ns = namespaces.get(path);
          if (ns == null) {
            throw new IllegalArgumentException("SIMULATION: no network namespace " + path);
          }
          SimNamespace host = namespace(HOST);
          for (SimLink l : List.copyOf(ns.links.values())) {
            if (!links.contains(l)) {
              continue; // deleted with its peer
            }
            if (l.type == SimLink.Type.HARDWARE) {
              if (host.byName(l.name.value()) != null) {
                l.name = freeDevName(host);
              }
              l.altNames.removeIf(a -> host.byName(a) != null);
              moveLink(l, host);
            } else {
              removeLink(l);
            }
          }
          namespaces.remove(path);
          return null;
        });
  }

  /** The paths of the namespaces, the host's first. */
  public List<Path> namespaces() {
    synchronized (lock) {
      return List.copyOf(namespaces.keySet());
    }
  }

  // ---------------------------------------------------------------- the node's hardware

  /**
   * A driver registered {@code hw}'s netdev (the simulated sysfs bound a network driver): it
   * appears in the host namespace, up when {@code up}. A VF's netdev takes the admin MAC its PF has
   * for it, if any. Returns the link (its ifindex is what sysfs {@code ifindex} must say).
   */
  public Link addNetdev(HardwareNetdev hw, boolean up) {
    return mutateUnchecked(
        () -> {
          SimNamespace host = namespace(HOST);
          if (byDevice(hw.device()).isPresent()) {
            throw new IllegalStateException("SIMULATION: " + hw.device() + " already has a netdev");
          }
          if (host.byName(hw.name().value()) != null) {
            throw new IllegalStateException(
                "SIMULATION: netdev name " + hw.name() + " already in use in the host namespace");
          }
          DriverProfile profile = DriverProfile.of(hw.driver());
          SimLink l =
              new SimLink(
                  nextId++, SimLink.Type.HARDWARE, hw, hw.mtu(), profile.maxMtu(), hw.mac());
          l.name = hw.name();
          if (hw.totalVfs() > 0) {
            l.vfs = new SimVfTable(profile, hw.totalVfs());
          }
          hw.vfOf().flatMap(of -> adminMac(of.pf(), of.index())).ifPresent(m -> l.mac = m);
          l.up = up;
          place(l, host, host.allocateIndex());
          links.add(l);
          hardware.put(hw.device(), l);
          log.debug("SIMULATION: netdev registered name={} pci={}", hw.name(), hw.device());
          return l.toLink(this, false);
        });
  }

  /**
   * The driver unregistered the netdev of {@code device} (unbind, VF removal), in whatever
   * namespace it is. False when it has none.
   */
  public boolean removeNetdev(PciAddress device) {
    return mutateUnchecked(
        () -> {
          Optional<SimLink> l = byDevice(device);
          l.ifPresent(this::removeLink);
          return l.isPresent();
        });
  }

  /**
   * {@code sriov_numvfs} changed on the PF at {@code pf}: its VF table is recreated with {@code
   * numVfs} VFs at the driver's defaults (zero MAC, no VLAN, no rate, spoofchk on, trust off,
   * link-state auto).
   */
  public void setNumVfs(PciAddress pf, int numVfs) {
    synchronized (lock) {
      SimLink l = pfLink(pf);
      mutateUnchecked(
          () -> {
            l.vfs.resize(numVfs);
            return null;
          });
    }
  }

  /** A cable pull or link-partner change on {@code device}'s port: its carrier, and its VFs'. */
  public void setCarrier(PciAddress device, boolean carrier) {
    mutateUnchecked(
        () -> {
          SimLink l =
              byDevice(device)
                  .orElseThrow(
                      () -> new IllegalArgumentException("SIMULATION: no netdev for " + device));
          l.cable = carrier;
          return null;
        });
  }

  /**
   * From now on the driver of the PF at {@code pf} refuses {@code mac} as VF {@code vf}'s admin MAC
   * with {@code errno} ({@code ip link set <pf> vf N mac M} fails; other MACs and VFs are set), as
   * a driver with its own rules (a MAC its firmware reserves) does.
   */
  public void refuseVfMac(PciAddress pf, int vf, MacAddress mac, Errno errno) {
    synchronized (lock) {
      pfLink(pf);
      refusedMacs.put(new RefusedMac(pf, vf, mac), Objects.requireNonNull(errno, "errno"));
    }
  }

  /** Traffic counters the PF reports for one of its VFs ({@code ip -s link show <pf>}). */
  public void setVfStats(PciAddress pf, int vf, VfStats stats) {
    synchronized (lock) {
      SimLink l = pfLink(pf);
      if (vf < 0 || vf >= l.vfs.count()) {
        throw new IllegalArgumentException(
            "SIMULATION: PF " + pf + " has no VF " + vf + " (numVfs " + l.vfs.count() + ")");
      }
      l.vfs.vf(vf).stats = Objects.requireNonNull(stats, "stats");
    }
  }

  /**
   * The traffic counters of the netdev of {@code device} itself ({@code ip -s link show} in the
   * namespace it is in; the VF's own view, which follows it into a pod).
   */
  public void setLinkStats(PciAddress device, LinkStats stats) {
    synchronized (lock) {
      SimLink l =
          byDevice(device)
              .orElseThrow(
                  () -> new IllegalArgumentException("SIMULATION: no netdev for " + device));
      l.stats = Objects.requireNonNull(stats, "stats");
    }
  }

  /** The namespace the netdev of {@code device} is in, if it has one. */
  public Optional<Path> namespaceOf(PciAddress device) {
    synchronized (lock) {
      return byDevice(device).map(l -> l.ns.path);
    }
  }

  // ---------------------------------------------------------------- listeners

  /** Adds a listener for every later link change (see {@link LinkChangeListener}). */
  public EventSource.Subscription addListener(LinkChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ---------------------------------------------------------------- links (SimulatedRtnl)

  List<Link> links(Path nsPath) {
    synchronized (lock) {
      List<Link> out = new ArrayList<>();
      for (SimLink l : namespace(nsPath).links.values()) {
        out.add(l.toLink(this, false));
      }
      return out;
    }
  }

  Optional<Link> link(Path nsPath, int index) {
    synchronized (lock) {
      requirePositive(index);
      SimLink l = namespace(nsPath).links.get(index);
      return l == null ? Optional.empty() : Optional.of(l.toLink(this, false));
    }
  }

  Optional<Link> link(Path nsPath, String name) {
    synchronized (lock) {
      if (name == null || name.isEmpty() || name.length() > 127 || name.indexOf('/') >= 0) {
        throw new IllegalArgumentException(
            "link name \"" + name + "\": must be 1-127 characters without '/'");
      }
      SimLink l = namespace(nsPath).byName(name);
      return l == null ? Optional.empty() : Optional.of(l.toLink(this, false));
    }
  }

  void setUp(Path nsPath, int index, boolean up) throws NetlinkException {
    String op = "RTM_SETLINK ifindex " + index + (up ? " up" : " down");
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (l.up != up) {
            l.up = up;
            if (!up) {
              l.ns.forget(l, true, true);
            }
          }
          return null;
        });
  }

  void setMtu(Path nsPath, int index, int mtu) throws NetlinkException {
    if (mtu <= 0) {
      throw new IllegalArgumentException("MTU must be positive: " + mtu);
    }
    String op = "RTM_SETLINK ifindex " + index + " mtu " + mtu;
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (mtu < l.minMtu) {
            throw new ErrnoException(op, Errno.EINVAL, "mtu less than device minimum");
          }
          if (mtu > l.maxMtu) {
            throw new ErrnoException(op, Errno.EINVAL, "mtu greater than device maximum");
          }
          if (l.type == SimLink.Type.BOND) {
            for (SimLink slave : l.ports(links)) { // bond_change_mtu: every slave first
              if (mtu > slave.maxMtu) {
                throw new ErrnoException(op, Errno.EINVAL, "mtu greater than device maximum");
              }
            }
            l.ports(links).forEach(slave -> slave.mtu = mtu);
          }
          l.mtu = mtu;
          return null;
        });
  }

  void setMac(Path nsPath, int index, MacAddress mac) throws NetlinkException {
    String op = "RTM_SETLINK ifindex " + index + " address " + mac;
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (mac.isMulticast() || mac.isZero()) {
            throw new ErrnoException(op, Errno.EADDRNOTAVAIL);
          }
          l.mac = mac;
          return null;
        });
  }

  void rename(Path nsPath, int index, InterfaceName name) throws NetlinkException {
    String op = "RTM_SETLINK ifindex " + index + " name " + name;
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (l.name.equals(name)) {
            return null;
          }
          if (l.up && kernel == Kernel.BEFORE_6_2) {
            throw new ErrnoException(op, Errno.EBUSY);
          }
          if (l.ns.byName(name.value()) != null) {
            throw new ErrnoException(op, Errno.EEXIST);
          }
          l.name = name;
          return null;
        });
  }

  void addAltName(Path nsPath, int index, String altName) throws NetlinkException {
    requireAltName(altName);
    String op = "RTM_NEWLINKPROP ifindex " + index + " altname " + altName;
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (l.ns.byName(altName) != null) {
            throw new ErrnoException(op, Errno.EEXIST);
          }
          l.altNames.add(altName);
          return null;
        });
  }

  void deleteAltName(Path nsPath, int index, String altName) throws NetlinkException {
    requireAltName(altName);
    String op = "RTM_DELLINKPROP ifindex " + index + " altname " + altName;
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          SimLink owner = l.ns.byName(altName);
          if (owner == null) {
            throw new ErrnoException(op, Errno.ENOENT);
          }
          if (owner != l || l.name.value().equals(altName)) {
            throw new ErrnoException(op, Errno.EINVAL);
          }
          l.altNames.remove(altName);
          return null;
        });
  }

  /** RTM_SETLINK with IFLA_NET_NS_FD; {@code op} names the target as the caller did. */
  void moveToNamespace(Path nsPath, int index, Path target, String op) throws NetlinkException {
    moveToNamespace(nsPath, index, target, null, op);
  }

  /**
   * As the kernel's RTM_SETLINK with IFLA_NET_NS_FD and IFLA_IFNAME: the move (under {@code name}
   * when the link's name is taken in the target), then the rename there, which may fail with EEXIST
   * after the move. {@code name} null: the move alone.
   */
  void moveToNamespace(Path nsPath, int index, Path target, InterfaceName name, String op)
      throws NetlinkException {
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          SimNamespace to = namespaces.get(target);
          if (to == null) {
            throw new ErrnoException(op, Errno.EINVAL); // the fd is no network namespace
          }
          if (l.type == SimLink.Type.LOOPBACK || l.isMasterType()) {
            throw new ErrnoException(op, Errno.EINVAL, "The interface netns is immutable");
          }
          if (to == l.ns) {
            return null;
          }
          InterfaceName during = l.name;
          if (to.byName(l.name.value()) != null) {
            if (name == null || to.byName(name.value()) != null) {
              throw new ErrnoException(
                  op, Errno.EEXIST, "An interface with the same name exists in the target netns");
            }
            during = name;
          }
          for (String alt : l.altNames) {
            if (to.byName(alt) != null) {
              throw new ErrnoException(
                  op,
                  Errno.EEXIST,
                  "An interface with the altname " + alt + " exists in the target netns");
            }
          }
          l.name = during;
          moveLink(l, to);
          if (name != null && !l.name.equals(name)) {
            if (to.byName(name.value()) != null) {
              throw new ErrnoException(op, Errno.EEXIST); // moved, not renamed
            }
            l.name = name;
          }
          return null;
        });
  }

  boolean hasNamespace(Path path) {
    synchronized (lock) {
      return namespaces.containsKey(path);
    }
  }

  Link create(Path nsPath, LinkSpec spec) throws NetlinkException {
    String op = "RTM_NEWLINK " + spec.name() + " type " + spec.kind();
    return mutate(
        () -> {
          SimNamespace ns = namespace(nsPath);
          if (ns.byName(spec.name().value()) != null) {
            throw new ErrnoException(op, Errno.EEXIST);
          }
          SimLink created =
              switch (spec) {
                case LinkSpec.Veth v -> createVeth(ns, v, op);
                case LinkSpec.Macvlan m -> createMacvlan(ns, m, op);
                case LinkSpec.Bridge b -> software(ns, SimLink.Type.BRIDGE, b.name(), 1500);
                case LinkSpec.Bond b -> {
                  SimLink bond = software(ns, SimLink.Type.BOND, b.name(), 1500);
                  bond.bond = b.options();
                  yield bond;
                }
              };
          return created.toLink(this, false);
        });
  }

  private SimLink createVeth(SimNamespace ns, LinkSpec.Veth v, String op) throws ErrnoException {
    if (v.peerNetnsFd().isPresent()) {
      throw new IllegalArgumentException(
          "SIMULATION: a veth peer created in another namespace by fd is not simulated;"
              + " create the pair here and move the peer");
    }
    if (v.peer().equals(v.name()) || ns.byName(v.peer().value()) != null) {
      throw new ErrnoException(op, Errno.EEXIST);
    }
    SimLink b = software(ns, SimLink.Type.VETH, v.peer(), 1500); // veth registers the peer first
    SimLink a = software(ns, SimLink.Type.VETH, v.name(), 1500);
    a.peer = b;
    b.peer = a;
    return a;
  }

  private SimLink createMacvlan(SimNamespace ns, LinkSpec.Macvlan m, String op)
      throws ErrnoException {
    SimLink lower = ns.links.get(m.parentIndex());
    if (lower == null) {
      throw new ErrnoException(op, Errno.ENODEV);
    }
    if (lower.type == SimLink.Type.MACVLAN) {
      lower = lower.peer;
    }
    if (lower.type == SimLink.Type.LOOPBACK) {
      throw new ErrnoException(op, Errno.EINVAL);
    }
    if (lower.master != null) {
      throw new ErrnoException(op, Errno.EBUSY);
    }
    SimLink l = software(ns, SimLink.Type.MACVLAN, m.name(), lower.mtu);
    l.peer = lower;
    return l;
  }

  private SimLink software(SimNamespace ns, SimLink.Type type, InterfaceName name, int mtu) {
    SimLink l = new SimLink(nextId++, type, null, mtu, SimLink.SOFTWARE_MAX_MTU, randomMac());
    l.name = name;
    place(l, ns, ns.allocateIndex());
    links.add(l);
    return l;
  }

  void delete(Path nsPath, int index) throws NetlinkException {
    String op = "RTM_DELLINK ifindex " + index;
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (l.type == SimLink.Type.LOOPBACK || l.type == SimLink.Type.HARDWARE) {
            throw new ErrnoException(op, Errno.EOPNOTSUPP);
          }
          removeLink(l);
          return null;
        });
  }

  void setMaster(Path nsPath, int index, int masterIndex) throws NetlinkException {
    if (masterIndex <= 0) {
      throw new IllegalArgumentException("master ifindex must be positive: " + masterIndex);
    }
    String op = "RTM_SETLINK ifindex " + index + " master " + masterIndex;
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (l.master != null) { // do_set_master: release from the old master first
            if (l.master.index == masterIndex) {
              return null;
            }
            release(l);
          }
          SimLink master = l.ns.links.get(masterIndex);
          if (master == null) {
            throw new ErrnoException(op, Errno.EINVAL);
          }
          if (!master.isMasterType()) {
            throw new ErrnoException(op, Errno.EOPNOTSUPP);
          }
          if (master.type == SimLink.Type.BOND) {
            enslaveToBond(l, master, op);
          } else {
            addBridgePort(l, master, op);
          }
          return null;
        });
  }

  private void enslaveToBond(SimLink slave, SimLink bond, String op) throws ErrnoException {
    if (slave == bond) {
      throw new ErrnoException(op, Errno.EPERM, "Cannot enslave bond to itself.");
    }
    if (hasMacvlans(slave)) {
      throw new ErrnoException(op, Errno.EBUSY, "Device is in use and cannot be enslaved");
    }
    if (slave.up) {
      throw new ErrnoException(op, Errno.EPERM, "Device can not be enslaved while up");
    }
    if (bond.mtu > slave.maxMtu) {
      throw new ErrnoException(op, Errno.EINVAL, "mtu greater than device maximum");
    }
    if (bond.ports(links).isEmpty()) {
      bond.mac = slave.mac;
    }
    if (bond.bondSetsSlaveMac() && !slave.mac.equals(bond.mac)) {
      slave.macBeforeEnslaving = slave.mac;
      slave.mac = bond.mac;
    }
    slave.mtuBeforeEnslaving = slave.mtu;
    slave.mtu = bond.mtu; // bond_enslave: dev_set_mtu(slave, bond's MTU)
    slave.master = bond;
    slave.up = true; // bond_enslave opens the slave
  }

  private void addBridgePort(SimLink port, SimLink bridge, String op) throws ErrnoException {
    if (port.type == SimLink.Type.BRIDGE) {
      throw new ErrnoException(op, Errno.ELOOP, "Can not enslave a bridge to a bridge");
    }
    if (port.type == SimLink.Type.LOOPBACK) {
      throw new ErrnoException(op, Errno.EINVAL);
    }
    if (hasMacvlans(port)) {
      throw new ErrnoException(op, Errno.EBUSY); // the macvlan holds its rx handler
    }
    port.master = bridge;
  }

  void clearMaster(Path nsPath, int index) throws NetlinkException {
    String op = "RTM_SETLINK ifindex " + index + " nomaster";
    mutate(
        () -> {
          SimLink l = require(nsPath, index, op);
          if (l.master != null) {
            release(l);
          }
          return null;
        });
  }

  /** A bond slave gets its own MAC back and is closed (__bond_release_one); a port just leaves. */
  private void release(SimLink l) {
    if (l.master.type == SimLink.Type.BOND) {
      if (l.macBeforeEnslaving != null) {
        l.mac = l.macBeforeEnslaving;
        l.macBeforeEnslaving = null;
      }
      l.mtu = l.mtuBeforeEnslaving; // __bond_release_one: dev_set_mtu(slave, original_mtu)
      l.up = false;
      l.ns.forget(l, true, true);
    }
    l.master = null;
  }

  private boolean hasMacvlans(SimLink l) {
    return links.stream().anyMatch(o -> o.type == SimLink.Type.MACVLAN && o.peer == l);
  }

  // ---------------------------------------------------------------- VFs (SimulatedRtnl)

  List<VfInfo> vfs(Path nsPath, int pfIndex, boolean withStats) throws ErrnoException {
    synchronized (lock) {
      requirePositive(pfIndex);
      SimLink l = namespace(nsPath).links.get(pfIndex);
      if (l == null) {
        throw new ErrnoException("RTM_GETLINK PF ifindex " + pfIndex, Errno.ENODEV);
      }
      return l.vfs == null ? List.of() : l.vfs.infos(withStats);
    }
  }

  void setVf(Path nsPath, int pfIndex, VfConfig config) throws NetlinkException {
    setVfs(nsPath, pfIndex, List.of(config));
  }

  /**
   * One mutation (one RTM_SETLINK, one notification of the PF) per {@link RtnlRequests#vfBatches
   * batch}; as the kernel's do_setlink, the VFs of a batch are applied in order and the first
   * refused stops it, the ones before staying set.
   */
  void setVfs(Path nsPath, int pfIndex, List<VfConfig> configs) throws NetlinkException {
    for (List<VfConfig> batch : RtnlRequests.vfBatches(configs)) {
      String op = RtnlRequests.setVfsOperation(pfIndex, batch);
      mutate(
          () -> {
            SimLink pf = require(nsPath, pfIndex, op);
            if (pf.vfs == null) {
              throw new ErrnoException(op, Errno.EOPNOTSUPP);
            }
            for (VfConfig config : batch) {
              try {
                Errno refused =
                    config
                        .mac()
                        .map(
                            m ->
                                refusedMacs.get(
                                    new RefusedMac(pf.hardware.device(), config.vf().value(), m)))
                        .orElse(null);
                if (refused != null) {
                  throw new ErrnoException(op, refused);
                }
                pf.vfs.apply(op, config, pf.carrier(this), pf.hardware.speedMbps());
              } finally {
                int vf = config.vf().value();
                if (vf < pf.vfs.count() && !pf.vfs.vf(vf).mac.isZero()) {
                  vfNetdev(pf.hardware.device(), vf).ifPresent(n -> n.mac = pf.vfs.vf(vf).mac);
                }
              }
            }
            return null;
          });
    }
  }

  // ---------------------------------------------------------------- addresses and routes

  /** The lock-holding entry point of {@link SimAddressing}. */
  <T> T withNamespace(Path nsPath, NamespaceWork<T> work) throws NetlinkException {
    return mutate(() -> work.run(namespace(nsPath)));
  }

  <T> T readNamespace(Path nsPath, NamespaceRead<T> work) {
    synchronized (lock) {
      return work.run(namespace(nsPath));
    }
  }

  interface NamespaceWork<T> {
    T run(SimNamespace ns) throws NetlinkException;
  }

  interface NamespaceRead<T> {
    T run(SimNamespace ns);
  }

  // ---------------------------------------------------------------- internals

  /** Every link in every namespace, creation order (lock held). */
  List<SimLink> allLinks() {
    return links;
  }

  Optional<SimLink> byDevice(PciAddress device) {
    return Optional.ofNullable(hardware.get(device));
  }

  private Optional<SimLink> vfNetdev(PciAddress pf, int index) {
    for (SimLink l : links) {
      if (l.hardware != null
          && l.hardware.vfOf().isPresent()
          && l.hardware.vfOf().get().pf().equals(pf)
          && l.hardware.vfOf().get().index() == index) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  private Optional<MacAddress> adminMac(PciAddress pf, int index) {
    return byDevice(pf)
        .filter(p -> p.vfs != null && index < p.vfs.count())
        .map(p -> p.vfs.vf(index).mac)
        .filter(m -> !m.isZero());
  }

  private SimLink pfLink(PciAddress pf) {
    SimLink l =
        byDevice(pf)
            .orElseThrow(() -> new IllegalArgumentException("SIMULATION: no netdev for " + pf));
    if (l.vfs == null) {
      throw new IllegalArgumentException("SIMULATION: " + pf + " is not an SR-IOV PF");
    }
    return l;
  }

  SimNamespace namespace(Path path) {
    SimNamespace ns = namespaces.get(path);
    if (ns == null) {
      throw new IllegalStateException("SIMULATION: network namespace " + path + " was deleted");
    }
    return ns;
  }

  private SimLink require(Path nsPath, int index, String op) throws ErrnoException {
    if (index <= 0) {
      throw new ErrnoException(op, Errno.EINVAL);
    }
    SimLink l = namespace(nsPath).links.get(index);
    if (l == null) {
      throw new ErrnoException(op, Errno.ENODEV);
    }
    return l;
  }

  private static void requirePositive(int index) {
    if (index <= 0) {
      throw new IllegalArgumentException("ifindex must be positive: " + index);
    }
  }

  private static void requireAltName(String altName) {
    if (altName.isEmpty() || altName.length() > 127 || altName.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "alternative name \"" + altName + "\": must be 1-127 characters without '/'");
    }
  }

  private void place(SimLink l, SimNamespace ns, int index) {
    l.ns = ns;
    l.index = index;
    ns.links.put(index, l);
  }

  /** dev_change_net_namespace: closed, addresses and routes gone, master released. */
  private void moveLink(SimLink l, SimNamespace to) {
    if (l.master != null) {
      release(l);
    }
    l.up = false;
    l.ns.forget(l, true, false);
    l.ns.links.remove(l.index);
    int index = to.links.containsKey(l.index) ? to.allocateIndex() : l.index;
    place(l, to, index);
  }

  /** Unregisters {@code l} with what goes with it: a veth's peer, macvlans on it, its ports. */
  private void removeLink(SimLink l) {
    if (!links.contains(l)) {
      return;
    }
    if (l.master != null) {
      release(l);
    }
    for (SimLink port : l.ports(links)) {
      release(port);
    }
    links.remove(l);
    if (l.hardware != null) {
      hardware.remove(l.hardware.device(), l);
    }
    l.ns.links.remove(l.index);
    l.ns.forget(l, true, false);
    for (SimLink upper : List.copyOf(links)) {
      if (upper.type == SimLink.Type.MACVLAN && upper.peer == l) {
        removeLink(upper);
      }
    }
    if (l.type == SimLink.Type.VETH && l.peer != null) {
      removeLink(l.peer);
    }
  }

  private InterfaceName freeDevName(SimNamespace ns) {
    for (int i = 0; ; i++) {
      if (ns.byName("dev" + i) == null) {
        return InterfaceName.of("dev" + i);
      }
    }
  }

  private MacAddress randomMac() {
    byte[] b = new byte[6];
    random.nextBytes(b);
    b[0] = (byte) ((b[0] & 0xfe) | 0x02); // unicast, locally administered
    return MacAddress.of(b);
  }

  // ---------------------------------------------------------------- change reporting

  interface Mutation<T> {
    T run() throws NetlinkException;
  }

  private record State(SimNamespace ns, Link link) {}

  /** Runs {@code m} under the lock and reports what it changed, also when it fails midway. */
  <T> T mutate(Mutation<T> m) throws NetlinkException {
    synchronized (lock) {
      Map<SimLink, State> before = listeners.isEmpty() ? null : snapshot();
      try {
        return m.run();
      } finally {
        if (before != null) {
          report(before);
        }
      }
    }
  }

  private <T> T mutateUnchecked(Mutation<T> m) {
    try {
      return mutate(m);
    } catch (NetlinkException e) {
      throw new IllegalStateException("SIMULATION: unexpected " + e.getMessage(), e);
    }
  }

  private Map<SimLink, State> snapshot() {
    Map<SimLink, State> s = new LinkedHashMap<>();
    for (SimLink l : links) {
      s.put(l, new State(l.ns, l.toLink(this, false)));
    }
    return s;
  }

  private void report(Map<SimLink, State> before) {
    Map<SimLink, State> after = snapshot();
    List<LinkChange> changes = new ArrayList<>();
    for (Map.Entry<SimLink, State> e : before.entrySet()) {
      State b = e.getValue();
      State a = after.get(e.getKey());
      Optional<PciAddress> device = device(e.getKey());
      if (a == null) {
        changes.add(change(LinkChange.Kind.REMOVED, b.ns, Optional.of(b.link), b.link, device));
      } else if (a.ns != b.ns) {
        changes.add(
            new LinkChange(
                LinkChange.Kind.REMOVED, b.ns.path, Optional.of(b.link), b.link, device, true));
        changes.add(
            new LinkChange(
                LinkChange.Kind.ADDED, a.ns.path, Optional.empty(), a.link, device, true));
      } else if (!a.link.equals(b.link)) {
        changes.add(change(LinkChange.Kind.CHANGED, a.ns, Optional.of(b.link), a.link, device));
      }
    }
    for (Map.Entry<SimLink, State> e : after.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        State a = e.getValue();
        changes.add(
            change(LinkChange.Kind.ADDED, a.ns, Optional.empty(), a.link, device(e.getKey())));
      }
    }
    for (LinkChange c : changes) {
      for (LinkChangeListener l : listeners) {
        try {
          l.onLinkChange(c);
        } catch (RuntimeException ex) {
          log.warn("SIMULATION: link change listener failed change={}", c, ex);
        }
      }
    }
  }

  private static LinkChange change(
      LinkChange.Kind kind,
      SimNamespace ns,
      Optional<Link> before,
      Link after,
      Optional<PciAddress> device) {
    return new LinkChange(kind, ns.path, before, after, device);
  }

  private static Optional<PciAddress> device(SimLink l) {
    return l.hardware == null ? Optional.empty() : Optional.of(l.hardware.device());
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "SimulatedNetwork[SIMULATION namespaces="
          + namespaces.size()
          + " links="
          + links.size()
          + " kernel="
          + kernel
          + "]";
    }
  }
}
