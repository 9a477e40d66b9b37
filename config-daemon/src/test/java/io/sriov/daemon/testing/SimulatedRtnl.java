package io.sriov.daemon.testing;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.IfLink;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.route.Address;
import io.sriov.netlink.route.IpPrefix;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.Route;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.os.Errno;
import io.sriov.simulator.kernel.SimulatedKernel;
import io.sriov.sysfs.SysfsException;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * TEST DOUBLE: the rtnetlink side of the simulated node, until the simulated rtnetlink of the seams
 * work (issue 10, {@code io.sriov.simulator.netlink}) replaces it. Links are the simulated sysfs
 * tree's netdevs ({@code ifindex}, {@code mtu}, {@code address}, {@code operstate}); an MTU change
 * is a write of {@code /sys/class/net/<if>/mtu} through the {@link SimulatedKernel}, so its range
 * check and fault injection apply; admin state and VF admin MACs live here. VF admin MACs are
 * cleared when {@code sriov_numvfs} is written through {@link #writer()} (the PF forgets its VFs'
 * settings when they are destroyed, as drivers do). Records every change in {@link #changes()};
 * {@link #failNext} makes the next matching call fail with an errno. Only the link and VF
 * operations the daemon uses are implemented.
 */
public final class SimulatedRtnl implements RtnlOperations {
  private final SimulatedKernel kernel;
  private final Set<String> adminDown = new HashSet<>();
  private final Map<String, MacAddress> adminMacs = new HashMap<>();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final List<String> sysfsWrites = new CopyOnWriteArrayList<>();
  private final Map<String, Errno> failures = new HashMap<>();
  private final Set<String> defects = new HashSet<>();

  public SimulatedRtnl(SimulatedKernel kernel) {
    this.kernel = kernel;
  }

  /** The kernel's writer, telling this double when a PF's VFs are destroyed. */
  public SysfsWriter writer() {
    return new SysfsWriter() {
      @Override
      public void write(Path file, String value, Duration timeout) throws SysfsException {
        kernel.write(file, value, timeout);
        sysfsWrites.add(kernel.root().display(file) + "=" + value.strip());
        if (file.getFileName().toString().equals("sriov_numvfs")) {
          String pf = file.getParent().getFileName().toString();
          synchronized (SimulatedRtnl.this) {
            adminMacs.keySet().removeIf(k -> k.startsWith(pf + "/"));
          }
        }
      }

      @Override
      public String toString() {
        return "SimulatedRtnl.writer[" + kernel + "]";
      }
    };
  }

  /** Every sysfs write that succeeded through {@link #writer()}, {@code <file>=<value>}. */
  public List<String> sysfsWrites() {
    return List.copyOf(sysfsWrites);
  }

  /** Every change made, e.g. {@code setMtu ens1f0 9000}, {@code setVf ens1f0 vf 0 mac ...}. */
  public List<String> changes() {
    return List.copyOf(changes);
  }

  /** The next call whose change text starts with {@code prefix} fails with {@code errno}. */
  public synchronized void failNext(String prefix, Errno errno) {
    failures.put(prefix, errno);
  }

  /** Takes over the node-side state (admin state, VF admin MACs) another double held. */
  public synchronized void takeOverAdminState(SimulatedRtnl other) {
    synchronized (other) {
      adminDown.addAll(other.adminDown);
      adminMacs.putAll(other.adminMacs);
    }
  }

  /** The next change starting with {@code prefix} throws an IllegalStateException (a defect). */
  public synchronized void failNextWithRuntimeException(String prefix) {
    defects.add(prefix);
  }

  /** Sets a link administratively down, as {@code ip link set X down} by someone else would. */
  public synchronized void setAdminDown(String name) {
    adminDown.add(name);
  }

  // ---------------------------------------------------------------- links

  @Override
  public synchronized List<Link> links() throws NetlinkException {
    List<Link> out = new ArrayList<>();
    synchronized (kernel) {
      try (Stream<Path> s = Files.list(kernel.root().classNet())) {
        for (Path p : s.sorted().toList()) {
          out.add(readLocked(p.getFileName().toString()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<Link> link(int index) throws NetlinkException {
    for (Link l : links()) {
      if (l.index() == index) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized Optional<Link> link(String name) throws NetlinkException {
    if (!Files.isDirectory(kernel.root().classNet().resolve(name))) {
      return Optional.empty();
    }
    return Optional.of(read(name));
  }

  private Link read(String name) {
    // under the kernel's lock: another PF's apply may be creating netdevs meanwhile
    synchronized (kernel) {
      return readLocked(name);
    }
  }

  private Link readLocked(String name) {
    Path dir = kernel.root().classNet().resolve(name);
    try {
      int index = Integer.parseInt(attr(dir, "ifindex"));
      boolean carrier = attr(dir, "carrier").equals("1");
      int flags =
          (adminDown.contains(name) ? 0 : IfLink.IFF_UP) | (carrier ? IfLink.IFF_LOWER_UP : 0);
      return new Link(
          index,
          InterfaceName.of(name),
          List.of(),
          Optional.empty(),
          flags,
          OperState.parse(attr(dir, "operstate")),
          carrier,
          Integer.parseInt(attr(dir, "mtu")),
          Optional.of(MacAddress.parse(attr(dir, "address"))),
          Optional.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          List.of(),
          Optional.empty(),
          Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String attr(Path dir, String name) throws IOException {
    return SysfsFiles.read(dir.resolve(name)).orElse("");
  }

  private String nameOf(int index) throws NetlinkException {
    return link(index)
        .orElseThrow(() -> new ErrnoException("RTM_GETLINK ifindex " + index, Errno.ENODEV))
        .name()
        .value();
  }

  private void change(String text) throws ErrnoException {
    injected(text);
    changes.add(text);
  }

  /** Throws what {@link #failNext} or {@link #failNextWithRuntimeException} set up for it. */
  private void injected(String text) throws ErrnoException {
    for (String prefix : Set.copyOf(defects)) {
      if (text.startsWith(prefix)) {
        defects.remove(prefix);
        throw new IllegalStateException("injected");
      }
    }
    for (Map.Entry<String, Errno> f : Map.copyOf(failures).entrySet()) {
      if (text.startsWith(f.getKey())) {
        failures.remove(f.getKey());
        throw new ErrnoException("RTM_NEWLINK " + text, f.getValue());
      }
    }
  }

  @Override
  public synchronized void setUp(int index, boolean up) throws NetlinkException {
    String name = nameOf(index);
    change((up ? "setUp " : "setDown ") + name);
    if (up) {
      adminDown.remove(name);
    } else {
      adminDown.add(name);
    }
  }

  @Override
  public synchronized void setMtu(int index, int mtu) throws NetlinkException {
    String name = nameOf(index);
    String text = "setMtu " + name + " " + mtu;
    injected(text);
    try {
      kernel.write(
          kernel.root().classNet().resolve(name).resolve("mtu"), mtu + "\n", Duration.ofSeconds(5));
    } catch (SysfsException e) {
      throw new ErrnoException("RTM_NEWLINK " + name + " mtu " + mtu, e.errno());
    }
    changes.add(text);
  }

  // ---------------------------------------------------------------- VFs

  private PciAddress pciOf(String name) {
    try {
      Path device = kernel.root().classNet().resolve(name).resolve("device");
      Optional<Path> target = SysfsFiles.readLink(device);
      if (target.isPresent()) {
        return PciAddress.parse(target.get().getFileName().toString());
      }
      // the simulated tree has no device link: the netdev lives under the PCI device directory
      Path real = kernel.root().classNet().resolve(name).toRealPath();
      return PciAddress.parse(real.getParent().getParent().getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized List<VfInfo> vfs(int pfIndex, boolean withStats) throws NetlinkException {
    String pf = pciOf(nameOf(pfIndex)).toString();
    int numVfs;
    try {
      numVfs =
          Integer.parseInt(
              SysfsFiles.read(kernel.root().pciDevices().resolve(pf).resolve("sriov_numvfs"))
                  .orElse("0"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<VfInfo> out = new ArrayList<>();
    for (int i = 0; i < numVfs; i++) {
      out.add(
          new VfInfo(
              VfIndex.of(i),
              adminMacs.getOrDefault(pf + "/" + i, MacAddress.ZERO),
              List.of(),
              0,
              0,
              Optional.of(true),
              Optional.of(false),
              VfLinkState.AUTO,
              Optional.empty()));
    }
    return out;
  }

  @Override
  public synchronized void setVf(int pfIndex, VfConfig config) throws NetlinkException {
    String name = nameOf(pfIndex);
    if (config.mac().isEmpty()) {
      throw new UnsupportedOperationException("TEST DOUBLE: only VF MACs are simulated");
    }
    change("setVf " + name + " vf " + config.vf() + " mac " + config.mac().get());
    adminMacs.put(pciOf(name) + "/" + config.vf().value(), config.mac().get());
  }

  // ---------------------------------------------------------------- not used by the daemon

  private static UnsupportedOperationException unused(String op) {
    return new UnsupportedOperationException("TEST DOUBLE: " + op + " is not simulated");
  }

  @Override
  public void setMac(int index, MacAddress mac) {
    throw unused("setMac");
  }

  @Override
  public void rename(int index, InterfaceName name) {
    throw unused("rename");
  }

  @Override
  public void addAltName(int index, String altName) {
    throw unused("addAltName");
  }

  @Override
  public void deleteAltName(int index, String altName) {
    throw unused("deleteAltName");
  }

  @Override
  public void moveToNamespace(int index, NetNamespace ns) {
    throw unused("moveToNamespace");
  }

  @Override
  public void moveToNamespace(int index, Path namespace) {
    throw unused("moveToNamespace");
  }

  @Override
  public Link create(LinkSpec spec) {
    throw unused("create");
  }

  @Override
  public void delete(int index) {
    throw unused("delete");
  }

  @Override
  public void setMaster(int index, int masterIndex) {
    throw unused("setMaster");
  }

  @Override
  public void clearMaster(int index) {
    throw unused("clearMaster");
  }

  @Override
  public void addAddress(int index, IpPrefix prefix, boolean noDad) {
    throw unused("addAddress");
  }

  @Override
  public void deleteAddress(int index, IpPrefix prefix) {
    throw unused("deleteAddress");
  }

  @Override
  public List<Address> addresses(int index) {
    throw unused("addresses");
  }

  @Override
  public void addRoute(RouteSpec route) {
    throw unused("addRoute");
  }

  @Override
  public void deleteRoute(RouteSpec route) {
    throw unused("deleteRoute");
  }

  @Override
  public List<Route> routes(boolean ipv6, int table) {
    throw unused("routes");
  }

  @Override
  public void close() {}
}
