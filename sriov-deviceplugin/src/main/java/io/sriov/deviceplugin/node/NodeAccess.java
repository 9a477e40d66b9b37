package io.sriov.deviceplugin.node;

import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.port.LinkMonitor;
import java.nio.file.Path;
import java.util.Optional;

/** The node the plugin serves: the real one, or a simulated one. */
public interface NodeAccess extends AutoCloseable {

  /** For logs and output; a simulated node's label starts with {@code SIMULATED}. */
  String label();

  boolean simulated();

  DeviceDiscovery discovery();

  /** Link events for health; empty when none can be had (health then stays Healthy). */
  Optional<LinkMonitor> links();

  /**
   * PCI device events (kernel uevents) that trigger a rescan; empty when none can be had (changes
   * without a link event then wait for the periodic rescan).
   */
  default Optional<DeviceEventMonitor> deviceEvents() {
    return Optional.empty();
  }

  /**
   * IPv4 default-route changes of the main table that trigger a rescan (the uplink may have moved
   * onto or off a VF's netdev); empty when none can be had (such a move then waits for the periodic
   * rescan).
   */
  default Optional<DefaultRouteMonitor> defaultRouteEvents() {
    return Optional.empty();
  }

  /**
   * The host netdevs carrying the IPv4 default route, whose PCI devices are never offered; {@link
   * DefaultRouteLinks#NONE} for a node without routes.
   */
  DefaultRouteLinks defaultRouteLinks();

  /** The sysfs directory ({@code /sys}). */
  Path sys();

  /** The device directory ({@code /dev}). */
  Path dev();

  @Override
  void close();
}
