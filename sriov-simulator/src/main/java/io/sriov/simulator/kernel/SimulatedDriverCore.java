package io.sriov.simulator.kernel;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.os.Errno;
import io.sriov.simulator.netlink.HardwareNetdev;
import io.sriov.simulator.netlink.LinkChange;
import io.sriov.simulator.netlink.SimulatedNetwork;
import io.sriov.simulator.netlink.SimulatedRtnl;
import io.sriov.simulator.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SIMULATED kernel's rules, as Linux applies them ({@code drivers/pci/iov.c}, {@code
 * drivers/base/bus.c}, {@code drivers/base/dd.c}): which writes are allowed with which errno, and
 * what binding, unbinding, enabling VFs and removing a function change (netdevs, {@code
 * /dev/vfio/N}, uio and RDMA devices, events). Each store method returns null when the write is
 * accepted, or the errno the kernel would answer. Guarded by the kernel's lock.
 */
final class SimulatedDriverCore {
  static final DriverName VFIO_PCI = DriverName.VFIO_PCI;
  static final DriverName UIO_PCI_GENERIC = DriverName.of("uio_pci_generic");
  static final DriverName IGB_UIO = DriverName.of("igb_uio");

  private final SimulatedTree tree;
  private final SimulatedEvents events;
  private final SimulatedNetwork network;
  private final Map<PciAddress, SimulatedFunction> devices = new TreeMap<>();
  private final Map<String, SimulatedFunction> netdevs = new TreeMap<>();
  private boolean holdVfLinks;

  /**
   * @param network the node's rtnetlink, guarded by the same lock: the netdevs this core registers
   *     there appear in sysfs through {@link #onLinkChange}, which the kernel subscribes to it
   */
  SimulatedDriverCore(SimulatedTree tree, SimulatedEvents events, SimulatedNetwork network) {
    this.tree = tree;
    this.events = events;
    this.network = network;
  }

  /** Plugs in the topology's PFs, binds them and enables their initial VFs. */
  void plugIn(Topology topology) throws IOException {
    tree.buildSkeleton(List.of(VFIO_PCI, UIO_PCI_GENERIC));
    List<PciAddress> all = new ArrayList<>();
    for (Topology.Pf spec : topology.pfs()) {
      all.add(spec.address());
      for (int i = 0; i < spec.totalVfs(); i++) {
        all.add(spec.vfAddress(i));
      }
    }
    if (all.size() != all.stream().distinct().count()) {
      throw new Topology.InvalidTopologyException(
          "topology: VF address ranges overlap each other or a PF; set firstVf");
    }
    for (Topology.Pf spec : topology.pfs()) {
      tree.driverDir(spec.driver());
      tree.driverDir(spec.vfDriver());
      SimulatedFunction pf =
          tree.createFunction(
              spec.address(),
              spec.vendor(),
              spec.device(),
              spec.classCode(),
              spec.driver(),
              spec,
              null,
              -1);
      devices.put(pf.address, pf);
      tree.writeSriovAttributes(pf);
      bind(pf, spec.driver());
      for (int s = 0; s < spec.subFunctions(); s++) {
        tree.createSubFunction(pf, s + 1);
      }
      if (spec.numVfs() > 0) {
        createVfs(pf, spec.numVfs());
      }
    }
  }

  Optional<SimulatedFunction> function(PciAddress a) {
    return Optional.ofNullable(devices.get(a));
  }

  Optional<SimulatedFunction> netdev(String name) {
    return Optional.ofNullable(netdevs.get(name));
  }

  // ---------------------------------------------------------------- stores (writes)

  /** {@code sriov_numvfs}: 0 removes the VFs; N creates them when there are none. */
  Errno storeNumVfs(SimulatedFunction pf, String value) throws IOException {
    int n;
    try {
      n = Integer.decode(value.strip());
    } catch (NumberFormatException e) {
      return Errno.EINVAL;
    }
    if (n < 0 || n > 0xffff) {
      return Errno.EINVAL;
    }
    if (n > pf.pf.totalVfs()) {
      return Errno.ERANGE;
    }
    if (n == pf.vfs.size()) {
      return null;
    }
    if (pf.driver == null) {
      return Errno.ENOENT;
    }
    if (n == 0) {
      for (SimulatedFunction vf : List.copyOf(pf.vfs)) {
        remove(vf);
      }
      tree.writeNumVfs(pf, 0);
      setVfTable(pf, 0);
      return null;
    }
    if (!pf.vfs.isEmpty()) {
      return Errno.EBUSY;
    }
    createVfs(pf, n);
    return null;
  }

  private void createVfs(SimulatedFunction pf, int n) throws IOException {
    Topology.Pf spec = pf.pf;
    setVfTable(pf, n);
    for (int i = 0; i < n; i++) {
      SimulatedFunction vf =
          tree.createFunction(
              spec.vfAddress(i),
              spec.vendor(),
              spec.vfDevice(),
              spec.classCode(),
              spec.vfDriver(),
              spec,
              pf,
              i);
      devices.put(vf.address, vf);
      pf.vfs.add(vf);
      tree.linkVf(pf, vf, !holdVfLinks);
      events.uevent(DeviceEvent.Action.ADD, vf);
      bind(vf, spec.vfDriver());
    }
    tree.writeNumVfs(pf, n);
  }

  /** The PF's VF table in rtnetlink follows {@code sriov_numvfs} (when the PF has a netdev). */
  private void setVfTable(SimulatedFunction pf, int n) {
    if (network.namespaceOf(pf.address).isPresent()) {
      network.setNumVfs(pf.address, n);
    }
  }

  /** {@code driver_override}: a driver name, or empty (a NUL or newline ends it) to clear. */
  Errno storeOverride(SimulatedFunction d, String value) throws IOException {
    String v = value;
    int nul = v.indexOf('\0');
    if (nul >= 0) {
      v = v.substring(0, nul);
    }
    if (v.isEmpty()) {
      d.override = null;
    } else {
      try {
        DriverName.of(v);
      } catch (InvalidValueException e) {
        return Errno.EINVAL;
      }
      d.override = v;
    }
    tree.writeDriverOverride(d);
    return null;
  }

  /** {@code drivers/<drv>/bind}: ENODEV unless the driver matches, EBUSY when already bound. */
  Errno storeBind(SimulatedFunction d, DriverName drv) throws IOException {
    if (d == null || !matches(d, drv)) {
      return Errno.ENODEV;
    }
    if (d.driver != null) {
      return Errno.EBUSY;
    }
    bind(d, drv);
    return null;
  }

  /** {@code drivers/<drv>/unbind}: ENODEV unless bound to that driver. */
  Errno storeUnbind(SimulatedFunction d, DriverName drv) throws IOException {
    if (d == null || !drv.equals(d.driver)) {
      return Errno.ENODEV;
    }
    unbind(d);
    return null;
  }

  /** {@code drivers_probe}: binds an unbound function to its override or default driver. */
  Errno storeProbe(SimulatedFunction d) throws IOException {
    if (d == null) {
      return Errno.EINVAL;
    }
    if (d.driver == null) {
      DriverName drv = d.override != null ? DriverName.of(d.override) : d.defaultDriver;
      if (tree.hasDriver(drv)) {
        bind(d, drv);
      }
    }
    return null;
  }

  /**
   * A netdev's {@code mtu}: set through rtnetlink ({@code dev_set_mtu} behind both), so the
   * driver's range applies (68 up to its max MTU) and the sysfs file follows from the change.
   */
  Errno storeMtu(SimulatedFunction d, String value) {
    int mtu;
    try {
      mtu = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      return Errno.EINVAL;
    }
    try (SimulatedRtnl host = network.openHost()) {
      host.setMtu(SimulatedTree.readIfIndex(tree.netdevDir(d)), mtu);
      return null;
    } catch (ErrnoException e) {
      return e.errno();
    } catch (NetlinkException e) {
      throw new IllegalStateException("SIMULATION: unexpected " + e.getMessage(), e);
    }
  }

  private boolean matches(SimulatedFunction d, DriverName drv) {
    if (d.override != null) {
      return d.override.equals(drv.value());
    }
    return drv.equals(d.defaultDriver);
  }

  // ---------------------------------------------------------------- binding effects

  private void bind(SimulatedFunction d, DriverName drv) throws IOException {
    d.driver = drv;
    tree.writeUevent(d);
    tree.linkDriver(d, drv);
    if (drv.equals(VFIO_PCI)) {
      tree.createVfioGroup(d);
    } else if (drv.equals(IGB_UIO)) {
      d.uio = tree.createUio(d);
    } else if (d.isNetwork() && !drv.isUserspaceDriver()) {
      network.addNetdev(hardwareNetdev(d, drv), true); // sysfs follows in onLinkChange
      if (d.pf.rdma()) {
        d.rdmaDevice = tree.createRdma(d);
      }
    }
    events.uevent(DeviceEvent.Action.BIND, d);
  }

  void unbind(SimulatedFunction d) throws IOException {
    if (d.driver == null) {
      return;
    }
    tree.unlinkDriver(d);
    if (d.driver.equals(VFIO_PCI)) {
      tree.removeVfioGroup(d);
    }
    d.driver = null;
    tree.writeUevent(d);
    if (d.uio != null) {
      tree.removeUio(d);
      d.uio = null;
    }
    network.removeNetdev(d.address); // in whatever namespace; sysfs follows in onLinkChange
    if (d.rdmaDevice != null) {
      tree.removeRdma(d);
      d.rdmaDevice = null;
    }
    events.uevent(DeviceEvent.Action.UNBIND, d);
  }

  /** The netdev the driver {@code drv} registers for {@code d}: name, MAC and MTU from sysfs. */
  private static HardwareNetdev hardwareNetdev(SimulatedFunction d, DriverName drv) {
    Topology.Pf spec = d.pf;
    MacAddress mac = MacAddress.parse(SimulatedTree.macFor(d.address, 0));
    boolean ib = spec.linkType().equals("infiniband");
    int mtu = ib ? 2044 : spec.mtu();
    HardwareNetdev netdev;
    if (d.isPf()) {
      netdev =
          HardwareNetdev.pf(
              spec.netdev(), d.address, drv.value(), mac, mtu, spec.speedMbps(), spec.totalVfs());
    } else {
      netdev =
          HardwareNetdev.vf(
              InterfaceName.of(spec.netdev().value() + "v" + d.vfIndex),
              d.address,
              drv.value(),
              mac,
              mtu,
              spec.speedMbps(),
              d.physfn.address,
              d.vfIndex);
    }
    return ib ? netdev.withType(HardwareNetdev.INFINIBAND) : netdev;
  }

  // ---------------------------------------------------------------- the rtnetlink mirror

  /**
   * The sysfs side of a change in the simulated rtnetlink (called under the shared lock): a PCI
   * function's netdev that appears in the host namespace gets its {@code net/<name>} directory and
   * {@code class/net} link, one that leaves it (unregistered, moved into a pod) loses them, a
   * rename moves them, and MTU, MAC, oper state and carrier are rewritten from the link. Every host
   * change is then published to the link monitors as {@code NetlinkLinkMonitor} would deliver it:
   * the one source of link events, so none is doubled.
   */
  void onLinkChange(LinkChange change) {
    if (!change.namespace().equals(SimulatedNetwork.HOST)) {
      return;
    }
    try {
      Optional<SimulatedFunction> d = change.device().flatMap(this::function);
      if (d.isPresent()) {
        mirror(d.get(), change);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("SIMULATION: sysfs mirror of " + change, e);
    }
    change.linkEvent().ifPresent(events::link);
  }

  private void mirror(SimulatedFunction d, LinkChange change) throws IOException {
    Link link = change.after();
    String name = link.name().value();
    switch (change.kind()) {
      case ADDED -> addNetdevEntries(d, link);
      case REMOVED -> removeNetdevEntries(d);
      case CHANGED -> {
        if (!name.equals(d.netdev)) {
          removeNetdevEntries(d);
          addNetdevEntries(d, link);
        } else {
          SimulatedTree.writeNetdevState(tree.netdevDir(d), link);
        }
      }
    }
  }

  private void addNetdevEntries(SimulatedFunction d, Link link) throws IOException {
    tree.createNetdev(d, link);
    d.netdev = link.name().value();
    netdevs.put(d.netdev, d);
  }

  private void removeNetdevEntries(SimulatedFunction d) throws IOException {
    if (d.netdev != null) {
      tree.removeNetdev(d);
      netdevs.remove(d.netdev);
      d.netdev = null;
    }
  }

  /** {@code remove}, or a surprise hot-unplug: a PF's VFs first, then the function. */
  void remove(SimulatedFunction d) throws IOException {
    for (SimulatedFunction vf : List.copyOf(d.vfs)) {
      remove(vf);
    }
    unbind(d);
    tree.removeFunction(d);
    if (d.physfn != null) {
      d.physfn.vfs.remove(d);
      tree.writeNumVfs(d.physfn, d.physfn.vfs.size());
    }
    devices.remove(d.address);
    events.uevent(DeviceEvent.Action.REMOVE, d);
  }

  // ---------------------------------------------------------------- what tests change

  /**
   * A cable pull or link-partner change on the port of the host netdev {@code name}: rtnetlink
   * derives the carrier and oper state (of its VFs too), sysfs and the link monitors follow.
   */
  void setCarrier(InterfaceName name, boolean up) {
    SimulatedFunction d = netdevs.get(name.value());
    if (d == null) {
      throw new IllegalArgumentException("SIMULATION: no netdev " + name);
    }
    network.setCarrier(d.address, up);
  }

  /** {@code modprobe -r}: the driver's functions become unbound and its directory goes. */
  void unloadDriver(DriverName driver) throws IOException {
    for (SimulatedFunction d : List.copyOf(devices.values())) {
      if (driver.equals(d.driver)) {
        unbind(d);
      }
    }
    tree.removeDriverDir(driver);
  }

  /** While held, new VFs get no {@code virtfnN} link; releasing creates the missing ones. */
  void holdVfLinks(boolean hold) throws IOException {
    holdVfLinks = hold;
    if (!hold) {
      for (SimulatedFunction d : devices.values()) {
        tree.completeVirtfnLinks(d);
      }
    }
  }

  /** The host namespace's links, as the link monitor's dump lists them. */
  List<LinkEvent> links() {
    try (SimulatedRtnl host = network.openHost()) {
      List<LinkEvent> out = new ArrayList<>();
      for (Link l : host.links()) {
        out.add(
            new LinkEvent(LinkEvent.Kind.PRESENT, l.index(), l.name(), l.operState(), l.carrier()));
      }
      return out;
    }
  }
}
