package io.sriov.node;

import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.port.LinkMonitor;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import java.util.Optional;

/**
 * The node a process works on: its sysfs and {@code /dev} roots, device discovery, the event
 * sources (links, PCI devices, IPv4 default routes), rtnetlink and devlink of the host namespace,
 * rtnetlink in other namespaces, and the sysfs writer that provisions it. Open one per process
 * ({@link HostNode#open} for the real node; sriov-simulator's {@code SimulatedNodes} for a
 * SIMULATED one) and hand it to every part that needs it (device plugin, CNI, policy engine): one
 * uevent socket, one link monitor, one rtnetlink socket. Closing it closes everything it opened;
 * the parts never close it.
 *
 * <p>An event source that could not be opened is empty (the reason was logged when the node was
 * opened); what it would have signalled is then seen at the consumers' periodic rescans.
 */
public interface Node extends AutoCloseable {

  /** For logs and output; a simulated node's label starts with {@code SIMULATED}. */
  String label();

  /** Whether this is a SIMULATED node (generated sysfs tree, simulated kernel). */
  boolean simulated();

  /** The sysfs and {@code /dev} roots: {@code /sys} and {@code /dev} on the real node. */
  SysfsRoot root();

  /** PCI and SR-IOV discovery ({@code lspci}, {@code ip link}, altnames, DDP profiles). */
  DeviceDiscovery discovery();

  /** Link events ({@code ip monitor link}); empty when none can be had. */
  Optional<LinkMonitor> links();

  /**
   * PCI device events, the kernel's uevents ({@code udevadm monitor --kernel
   * --subsystem-match=pci}); empty when none can be had.
   */
  Optional<DeviceEventMonitor> deviceEvents();

  /**
   * IPv4 default-route changes of the main table ({@code ip -4 monitor route}); empty when none can
   * be had.
   */
  Optional<DefaultRouteMonitor> defaultRouteEvents();

  /**
   * The host netdevs carrying the IPv4 default route, whose devices are never handed out; {@link
   * DefaultRouteLinks#NONE} on a node without routes.
   */
  DefaultRouteLinks defaultRouteLinks();

  /**
   * Writes sysfs attributes for provisioning ({@code sriov_numvfs}, driver binding): give it to
   * {@code SriovProvisioner} with {@link #root()}. The real kernel's, or the simulated kernel.
   */
  SysfsWriter sysfsWriter();

  /**
   * rtnetlink in the host network namespace (links, VF attributes, addresses, routes); empty when
   * it could not be opened.
   */
  Optional<RtnlOperations> rtnl();

  /**
   * rtnetlink in any network namespace (a pod's {@code CNI_NETNS}, by path) and the host's; empty
   * when the node has no rtnetlink (the default, for nodes that offer none).
   */
  default Optional<RtnlNamespaces> rtnlNamespaces() {
    return Optional.empty();
  }

  /** devlink (eswitch mode, {@code devlink dev info}); empty when the kernel has none. */
  Optional<DevlinkOperations> devlink();

  /** Closes the monitors, sockets and anything else the node opened; idempotent. */
  @Override
  void close();
}
