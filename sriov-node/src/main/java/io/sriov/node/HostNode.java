package io.sriov.node;

import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.port.LinkMonitor;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.devlink.DevlinkClient;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.discovery.NetlinkDetailsDiscovery;
import io.sriov.netlink.event.NetlinkDefaultRouteMonitor;
import io.sriov.netlink.event.NetlinkLinkMonitor;
import io.sriov.netlink.event.UeventMonitor;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.sysfs.KernelSysfsWriter;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real node: sysfs under {@link NodeOptions#sysfsRoot()}, with netdev altnames and DDP profiles
 * from rtnetlink / devlink, rtnetlink link and IPv4 default-route events, kernel PCI uevents, and
 * the kernel's sysfs writer. rtnetlink, the monitors and devlink are bound to the network namespace
 * of the thread that opens the node (the host's, for the daemon).
 *
 * <p>Only a root without PCI devices fails the open; otherwise a source that cannot be had is
 * logged at warn and left empty. Without rtnetlink the default-route links cannot be read, and
 * every look-up fails with the reason rather than risk handing out the node's uplink.
 */
public final class HostNode implements Node {
  private static final Logger log = LoggerFactory.getLogger(HostNode.class);

  private final SysfsRoot root;
  private final DeviceDiscovery discovery;
  private final Optional<LinkMonitor> links;
  private final Optional<DeviceEventMonitor> deviceEvents;
  private final Optional<DefaultRouteMonitor> routeEvents;
  private final DefaultRouteLinks routeLinks;
  private final Optional<RtnlClient> rtnl;
  private final Optional<KernelRtnlNamespaces> namespaces;
  private final Optional<DevlinkClient> devlink;
  private final KernelSysfsWriter writer = new KernelSysfsWriter();
  private final AtomicBoolean closed = new AtomicBoolean();

  private HostNode(
      SysfsRoot root,
      DeviceDiscovery discovery,
      Optional<LinkMonitor> links,
      Optional<DeviceEventMonitor> deviceEvents,
      Optional<DefaultRouteMonitor> routeEvents,
      DefaultRouteLinks routeLinks,
      Optional<RtnlClient> rtnl,
      Optional<DevlinkClient> devlink) {
    this.root = root;
    this.discovery = discovery;
    this.links = links;
    this.deviceEvents = deviceEvents;
    this.routeEvents = routeEvents;
    this.routeLinks = routeLinks;
    this.rtnl = rtnl;
    this.namespaces = rtnl.map(r -> KernelRtnlNamespaces.system());
    this.devlink = devlink;
  }

  /**
   * Opens the node {@code options} describe; close it when the process is done with it.
   *
   * @throws NodeOpenException when the root holds no {@code sys/bus/pci/devices}: serving empty
   *     pools from a wrong root would look like a node without SR-IOV devices
   */
  public static HostNode open(NodeOptions options) {
    SysfsRoot root = new SysfsRoot(options.sysfsRoot());
    Path pci = root.sys().resolve("bus/pci/devices");
    if (!Files.isDirectory(pci)) {
      throw new NodeOpenException(
          pci
              + " does not exist, so this is not the root of a sysfs (the default / holds"
              + " /sys/bus/pci/devices)");
    }
    Optional<LinkMonitor> links = Optional.empty();
    Optional<DeviceEventMonitor> deviceEvents = Optional.empty();
    Optional<DefaultRouteMonitor> routeEvents = Optional.empty();
    if (options.events()) {
      links = openOrWarn(NetlinkLinkMonitor::start, "no link monitor, device health stays Healthy");
      deviceEvents =
          openOrWarn(
              UeventMonitor::start,
              "no device event monitor, VFs without a netdev and driver changes are seen at the"
                  + " periodic rescan");
      routeEvents =
          openOrWarn(
              NetlinkDefaultRouteMonitor::start,
              "no route monitor, a default route moved onto a VF's netdev is seen at the periodic"
                  + " rescan");
    }
    Optional<RtnlClient> rtnl;
    DefaultRouteLinks routes;
    try {
      RtnlClient client = RtnlClient.open();
      rtnl = Optional.of(client);
      routes = new NetlinkDefaultRouteLinks(client, client);
    } catch (NetlinkException | RuntimeException e) {
      // Never hand out devices without knowing which one is the uplink: every look-up fails.
      log.warn("cannot open rtnetlink, no device can be handed out error=\"{}\"", e.getMessage());
      String error = e.getMessage();
      rtnl = Optional.empty();
      routes =
          () -> {
            throw new DefaultRouteLinks.LookupException(
                "IPv4 default routes: cannot open rtnetlink: " + error, e);
          };
    }
    // Netdev altnames and DDP profiles are not in sysfs. Without rtnetlink no device can be
    // handed out (no default-route check), so there is nothing to add them to.
    Optional<DevlinkClient> devlink =
        rtnl.isPresent() && options.devlink() ? openDevlink() : Optional.empty();
    DeviceDiscovery discovery = new SysfsDeviceDiscovery(root);
    if (rtnl.isPresent()) {
      discovery =
          new NetlinkDetailsDiscovery(
              discovery, rtnl.get(), devlink.map(DevlinkOperations.class::cast));
    }
    return new HostNode(root, discovery, links, deviceEvents, routeEvents, routes, rtnl, devlink);
  }

  /** Opens a netlink source; throws what the socket calls throw. */
  @FunctionalInterface
  private interface Opener<T> {
    T open() throws NetlinkException;
  }

  /** The source, or empty with a warning saying what is lost without it. */
  private static <T> Optional<T> openOrWarn(Opener<T> opener, String without) {
    try {
      return Optional.of(opener.open());
    } catch (NetlinkException | RuntimeException e) {
      log.warn("{} error=\"{}\"", without, e.getMessage());
      return Optional.empty();
    }
  }

  /** devlink for DDP profiles; empty (logged) when the kernel has none or it cannot be opened. */
  private static Optional<DevlinkClient> openDevlink() {
    try {
      Optional<DevlinkClient> client = DevlinkClient.open();
      if (client.isEmpty()) {
        log.info("no devlink family in this kernel, ddpProfiles selectors match nothing");
      }
      return client;
    } catch (NetlinkException | RuntimeException e) {
      log.warn(
          "cannot open devlink, ddpProfiles selectors match nothing error=\"{}\"", e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public String label() {
    return "node " + root.sys();
  }

  @Override
  public boolean simulated() {
    return false;
  }

  @Override
  public SysfsRoot root() {
    return root;
  }

  @Override
  public DeviceDiscovery discovery() {
    return discovery;
  }

  @Override
  public Optional<LinkMonitor> links() {
    return links;
  }

  @Override
  public Optional<DeviceEventMonitor> deviceEvents() {
    return deviceEvents;
  }

  @Override
  public Optional<DefaultRouteMonitor> defaultRouteEvents() {
    return routeEvents;
  }

  @Override
  public DefaultRouteLinks defaultRouteLinks() {
    return routeLinks;
  }

  @Override
  public SysfsWriter sysfsWriter() {
    return writer;
  }

  @Override
  public Optional<RtnlOperations> rtnl() {
    return rtnl.map(RtnlOperations.class::cast);
  }

  /**
   * The kernel's namespaces ({@link KernelRtnlNamespaces#system()}) when rtnetlink opened: one
   * instance for every caller (the CNI plugins, the observability probes), closed with the node.
   */
  @Override
  public Optional<RtnlNamespaces> rtnlNamespaces() {
    return namespaces.map(RtnlNamespaces.class::cast);
  }

  @Override
  public Optional<DevlinkOperations> devlink() {
    return devlink.map(DevlinkOperations.class::cast);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    links.ifPresent(LinkMonitor::close);
    deviceEvents.ifPresent(DeviceEventMonitor::close);
    routeEvents.ifPresent(DefaultRouteMonitor::close);
    rtnl.ifPresent(RtnlClient::close);
    namespaces.ifPresent(KernelRtnlNamespaces::close);
    devlink.ifPresent(DevlinkClient::close);
    writer.close();
  }

  @Override
  public String toString() {
    return "HostNode[" + root.sys() + "]";
  }
}
