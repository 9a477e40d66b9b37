package io.sriov.deviceplugin.node;

import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.LinkMonitor;
import io.sriov.deviceplugin.CommandLine;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.event.NetlinkLinkMonitor;
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
 * The real node (sysfs under {@code --sysfs-root}, rtnetlink link events), or with {@code
 * --simulated-node} a SIMULATED one generated in a temp directory and removed at close.
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
          DefaultRouteLinks.NONE,
          Optional.empty(),
          node.root(),
          Optional.of(dir));
    }
    SysfsRoot root = new SysfsRoot(cmd.sysfsRoot());
    Optional<LinkMonitor> links;
    try {
      links = Optional.of(NetlinkLinkMonitor.start());
    } catch (NetlinkException | RuntimeException e) {
      log.warn("no link monitor, device health stays Healthy error=\"{}\"", e.getMessage());
      links = Optional.empty();
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
    return new Access(
        "node " + root.sys(),
        false,
        new SysfsDeviceDiscovery(root),
        links,
        routes,
        rtnl,
        root,
        Optional.empty());
  }

  private record Access(
      String label,
      boolean simulated,
      DeviceDiscovery discovery,
      Optional<LinkMonitor> links,
      DefaultRouteLinks defaultRouteLinks,
      Optional<RtnlClient> rtnl,
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
      rtnl.ifPresent(RtnlClient::close);
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
