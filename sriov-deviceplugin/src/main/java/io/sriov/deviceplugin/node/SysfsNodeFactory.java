package io.sriov.deviceplugin.node;

import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.port.LinkMonitor;
import io.sriov.deviceplugin.CommandLine;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.devlink.DevlinkClient;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.discovery.NetlinkDetailsDiscovery;
import io.sriov.netlink.event.NetlinkDefaultRouteMonitor;
import io.sriov.netlink.event.NetlinkLinkMonitor;
import io.sriov.netlink.event.UeventMonitor;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import io.sriov.sysfs.sim.SimulatedNode;
import io.sriov.sysfs.sim.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real node (sysfs under {@code --sysfs-root}, with netdev altnames and DDP profiles from
 * rtnetlink / devlink, rtnetlink link and IPv4 default-route events, kernel PCI uevents), or with
 * {@code --simulated-node} a SIMULATED one generated in a temp directory and removed at close.
 */
public final class SysfsNodeFactory implements NodeFactory {
  private static final Logger log = LoggerFactory.getLogger(SysfsNodeFactory.class);

  @Override
  public NodeAccess open(CommandLine cmd) throws IOException {
    if (cmd.simulatedNode().isPresent()) {
      Optional<Path> file = cmd.simulatedNode().get();
      Topology topology = file.isPresent() ? Topology.load(file.get()) : Topology.builtIn();
      Path dir = Files.createTempDirectory("sriov-simulated-node-");
      SimulatedNode node = SimulatedNode.create(dir.resolve("root"), topology);
      String label =
          "SIMULATED node (topology "
              + file.map(Path::toString).orElse("built-in " + topology.name())
              + ", files under "
              + dir
              + ")";
      return new Access(
          label,
          true,
          new SysfsDeviceDiscovery(node.root()),
          Optional.of(node.kernel().newLinkMonitor()),
          Optional.of(node.kernel().newDeviceEventMonitor()),
          Optional.empty(),
          DefaultRouteLinks.NONE,
          Optional.empty(),
          Optional.empty(),
          node.root(),
          Optional.of(dir));
    }
    SysfsRoot root = new SysfsRoot(cmd.sysfsRoot());
    Path pci = root.sys().resolve("bus/pci/devices");
    if (!Files.isDirectory(pci)) {
      // Serving empty pools from a wrong root would look like a node without SR-IOV devices.
      throw new PlanException(
          "--sysfs-root="
              + cmd.sysfsRoot()
              + ": "
              + pci
              + " does not exist, so this is not the root of a sysfs (the default / holds"
              + " /sys/bus/pci/devices)");
    }
    Optional<LinkMonitor> links;
    try {
      links = Optional.of(NetlinkLinkMonitor.start());
    } catch (NetlinkException | RuntimeException e) {
      log.warn("no link monitor, device health stays Healthy error=\"{}\"", e.getMessage());
      links = Optional.empty();
    }
    Optional<DeviceEventMonitor> deviceEvents;
    try {
      deviceEvents = Optional.of(UeventMonitor.start());
    } catch (NetlinkException | RuntimeException e) {
      log.warn(
          "no device event monitor, VFs without a netdev and driver changes are seen at the"
              + " periodic rescan error=\"{}\"",
          e.getMessage());
      deviceEvents = Optional.empty();
    }
    Optional<DefaultRouteMonitor> routeEvents;
    try {
      routeEvents = Optional.of(NetlinkDefaultRouteMonitor.start());
    } catch (NetlinkException | RuntimeException e) {
      log.warn(
          "no route monitor, a default route moved onto a VF's netdev is seen at the periodic"
              + " rescan error=\"{}\"",
          e.getMessage());
      routeEvents = Optional.empty();
    }
    Optional<RtnlClient> rtnl;
    DefaultRouteLinks routes;
    try {
      RtnlClient client = RtnlClient.open();
      rtnl = Optional.of(client);
      routes = new NetlinkDefaultRouteLinks(client, client);
    } catch (NetlinkException | RuntimeException e) {
      // Never offer devices without knowing which one is the uplink: every plan fails with this.
      String error = e.getMessage();
      rtnl = Optional.empty();
      routes =
          () -> {
            throw new DefaultRouteLinks.LookupException(
                "IPv4 default routes: cannot open rtnetlink: " + error, e);
          };
    }
    // Netdev altnames and DDP profiles are not in sysfs. Without rtnetlink every plan fails
    // (no default-route check), so there is nothing to add them to.
    Optional<DevlinkClient> devlink = rtnl.isPresent() ? openDevlink() : Optional.empty();
    DeviceDiscovery discovery = new SysfsDeviceDiscovery(root);
    if (rtnl.isPresent()) {
      discovery =
          new NetlinkDetailsDiscovery(
              discovery, rtnl.get(), devlink.map(DevlinkOperations.class::cast));
    }
    return new Access(
        "node " + root.sys(),
        false,
        discovery,
        links,
        deviceEvents,
        routeEvents,
        routes,
        rtnl,
        devlink,
        root,
        Optional.empty());
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

  private record Access(
      String label,
      boolean simulated,
      DeviceDiscovery discovery,
      Optional<LinkMonitor> links,
      Optional<DeviceEventMonitor> deviceEvents,
      Optional<DefaultRouteMonitor> defaultRouteEvents,
      DefaultRouteLinks defaultRouteLinks,
      Optional<RtnlClient> rtnl,
      Optional<DevlinkClient> devlink,
      SysfsRoot root,
      Optional<Path> tempDir)
      implements NodeAccess {

    @Override
    public Path sys() {
      return root.sys();
    }

    @Override
    public Path dev() {
      return root.dev();
    }

    @Override
    public void close() {
      links.ifPresent(LinkMonitor::close);
      deviceEvents.ifPresent(DeviceEventMonitor::close);
      defaultRouteEvents.ifPresent(DefaultRouteMonitor::close);
      rtnl.ifPresent(RtnlClient::close);
      devlink.ifPresent(DevlinkClient::close);
      tempDir.ifPresent(Access::deleteTree);
    }

    private static void deleteTree(Path dir) {
      if (!Files.exists(dir)) {
        return;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        log.warn("cannot remove simulated node dir={} error={}", dir, e.toString());
      }
    }
  }
}
