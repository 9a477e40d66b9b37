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
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Node} that forwards every call to another; a subclass overrides what it changes (a
 * decorated discovery, a {@code close()} that leaves the node to its owner, ...). Every method of
 * {@link Node}, default methods included, is forwarded, so a new one cannot be silently lost.
 */
public abstract class ForwardingNode implements Node {
  private final Node node;

  protected ForwardingNode(Node node) {
    this.node = Objects.requireNonNull(node, "node");
  }

  /** The node calls are forwarded to. */
  protected final Node delegate() {
    return node;
  }

  @Override
  public String label() {
    return node.label();
  }

  @Override
  public boolean simulated() {
    return node.simulated();
  }

  @Override
  public SysfsRoot root() {
    return node.root();
  }

  @Override
  public DeviceDiscovery discovery() {
    return node.discovery();
  }

  @Override
  public Optional<LinkMonitor> links() {
    return node.links();
  }

  @Override
  public Optional<DeviceEventMonitor> deviceEvents() {
    return node.deviceEvents();
  }

  @Override
  public Optional<DefaultRouteMonitor> defaultRouteEvents() {
    return node.defaultRouteEvents();
  }

  @Override
  public DefaultRouteLinks defaultRouteLinks() {
    return node.defaultRouteLinks();
  }

  @Override
  public SysfsWriter sysfsWriter() {
    return node.sysfsWriter();
  }

  @Override
  public Optional<RtnlOperations> rtnl() {
    return node.rtnl();
  }

  @Override
  public Optional<RtnlNamespaces> rtnlNamespaces() {
    return node.rtnlNamespaces();
  }

  @Override
  public Optional<DevlinkOperations> devlink() {
    return node.devlink();
  }

  @Override
  public void close() {
    node.close();
  }
}
