package io.sriov.simulator;

import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.port.LinkMonitor;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.discovery.NetlinkDetailsDiscovery;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.node.DefaultRouteLinks;
import io.sriov.node.Node;
import io.sriov.simulator.kernel.SimulatedDeviceEventMonitor;
import io.sriov.simulator.kernel.SimulatedKernel;
import io.sriov.simulator.kernel.SimulatedLinkMonitor;
import io.sriov.simulator.netlink.SimulatedNetwork;
import io.sriov.simulator.netlink.SimulatedRtnl;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A SIMULATED node: a generated sysfs and /dev tree in a directory, laid out like the real one
 * ({@code /sys/devices/pci0000:00/<a>}, {@code /sys/bus/pci/devices/*} and {@code /sys/class/net/*}
 * links, {@code /sys/bus/pci/drivers/<d>}, {@code /sys/kernel/iommu_groups}, {@code /dev/vfio},
 * ...), for a {@link Topology}, and the {@link SimulatedKernel} that keeps it consistent under
 * sysfs writes. As a {@link Node} it offers sysfs discovery over that tree with the netdevs' facts
 * and altnames from one simulated rtnetlink dump per walk (as the real node's), the kernel as its
 * sysfs writer, one link monitor and one device event monitor fed by the kernel (created at first
 * use, closed with the node), no default routes, no devlink, and the kernel's simulated rtnetlink
 * ({@link SimulatedNetwork}): {@link #rtnl()} in the host namespace, {@link #rtnlNamespaces()} for
 * pods'. Sysfs and rtnetlink are one machine: a netdev the sysfs kernel registers has the same
 * ifindex, MAC, MTU and state in both, and what is changed through rtnetlink (MTU, a VF's MAC, a
 * move into a pod's namespace) shows in sysfs.
 *
 * <p>{@link #create} builds the tree in a directory the caller owns; {@link SimulatedNodes#open}
 * builds it in a temp directory that closing the node removes.
 */
public final class SimulatedNode implements Node {
  private final SysfsRoot root;
  private final SimulatedKernel kernel;
  private final String label;
  private final DeviceDiscovery discovery;
  private final SimulatedRtnl rtnl;
  private final Consumer<SimulatedNode> onClose;
  private SimulatedLinkMonitor links;
  private SimulatedDeviceEventMonitor deviceEvents;
  private boolean closed;

  private SimulatedNode(
      SysfsRoot root, SimulatedKernel kernel, String label, Consumer<SimulatedNode> onClose) {
    this.root = root;
    this.kernel = kernel;
    this.label = label;
    this.rtnl = kernel.network().openHost();
    // As on the real node (HostNode): one link dump per walk, for altnames and the netdevs' facts.
    this.discovery =
        new NetlinkDetailsDiscovery(new SysfsDeviceDiscovery(root), rtnl, Optional.empty());
    this.onClose = onClose;
  }

  /**
   * Generates the tree for {@code topology} in {@code dir} (which must be empty or absent and stays
   * the caller's).
   */
  public static SimulatedNode create(Path dir, Topology topology) throws IOException {
    return create(
        dir,
        topology,
        "SIMULATED node (topology " + topology.name() + ", files under " + dir + ")",
        n -> {});
  }

  /** The built-in topology ({@link Topology#builtIn()}) in {@code dir}. */
  public static SimulatedNode builtIn(Path dir) throws IOException {
    return create(dir, Topology.builtIn());
  }

  /**
   * @param onClose runs last when the node is closed (removes a temp directory)
   */
  static SimulatedNode create(
      Path dir, Topology topology, String label, Consumer<SimulatedNode> onClose)
      throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("SIMULATION: directory for the simulated node not empty: " + dir);
        }
      }
    }
    SysfsRoot root = new SysfsRoot(dir);
    return new SimulatedNode(root, new SimulatedKernel(root, topology), label, onClose);
  }

  @Override
  public SysfsRoot root() {
    return root;
  }

  public SimulatedKernel kernel() {
    return kernel;
  }

  /** The node's simulated rtnetlink (the kernel's): namespaces, links, VF tables. */
  public SimulatedNetwork network() {
    return kernel.network();
  }

  public Topology topology() {
    return kernel.topology();
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public boolean simulated() {
    return true;
  }

  @Override
  public DeviceDiscovery discovery() {
    return discovery;
  }

  /** The node's link monitor (created at the first call, closed with the node). */
  @Override
  public synchronized Optional<LinkMonitor> links() {
    requireOpen();
    if (links == null) {
      links = kernel.newLinkMonitor();
    }
    return Optional.of(links);
  }

  /** The node's device event monitor (created at the first call, closed with the node). */
  @Override
  public synchronized Optional<DeviceEventMonitor> deviceEvents() {
    requireOpen();
    if (deviceEvents == null) {
      deviceEvents = kernel.newDeviceEventMonitor();
    }
    return Optional.of(deviceEvents);
  }

  /** A simulated node has no routes. */
  @Override
  public Optional<DefaultRouteMonitor> defaultRouteEvents() {
    return Optional.empty();
  }

  /** A simulated node has no routes. */
  @Override
  public DefaultRouteLinks defaultRouteLinks() {
    return DefaultRouteLinks.NONE;
  }

  /** The simulated kernel. */
  @Override
  public SysfsWriter sysfsWriter() {
    return kernel;
  }

  /** The simulated rtnetlink in the host namespace (closed with the node). */
  @Override
  public Optional<RtnlOperations> rtnl() {
    return Optional.of(rtnl);
  }

  /** The simulated rtnetlink's namespaces: the host's and those created for pods. */
  @Override
  public Optional<RtnlNamespaces> rtnlNamespaces() {
    return Optional.of(kernel.network());
  }

  /** A simulated node has no devlink. */
  @Override
  public Optional<DevlinkOperations> devlink() {
    return Optional.empty();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("SIMULATION: " + label + " is closed");
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (links != null) {
        links.close();
      }
      if (deviceEvents != null) {
        deviceEvents.close();
      }
    }
    rtnl.close();
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "SimulatedNode[SIMULATION topology=" + topology().name() + " root=" + root.sys() + "]";
  }
}
