package io.sriov.cni.sriov;

import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.node.Node;
import io.sriov.sysfs.SysfsRoot;
import java.time.Duration;

/**
 * Builds {@link SriovPlugin}: for the standalone executable (the host's sysfs and rtnetlink,
 * upstream's state directory) or on a process's {@link Node} (the daemon hosting the plugin: its
 * sysfs root and namespaces, and the same state directory so both paths share state and locks).
 */
public final class SriovCni {
  /** Upstream retries the VF MAC every 100 ms. */
  static final Duration MAC_RETRY = Duration.ofMillis(100);

  private SriovCni() {}

  /** The plugin exec'd as {@code /opt/cni/bin/sriov}: one call, so no spare thread ahead. */
  public static SriovPlugin standalone() {
    NetnsExecutor executor = NetnsExecutor.withoutSpares();
    RtnlNamespaces namespaces =
        new KernelRtnlNamespaces(executor, KernelRtnlNamespaces.PROCESS_NAMESPACE);
    return create(
        SysfsRoot.system(),
        namespaces,
        new KernelNetnsSysctls(executor),
        new StateDir(StateDir.DEFAULT_ROOT),
        new IpamDelegate());
  }

  /**
   * The plugin on {@code node}; {@code state} must be one instance per process (its in-process
   * locks).
   *
   * @throws IllegalArgumentException the node offers no rtnetlink namespaces
   */
  public static SriovPlugin onNode(
      Node node, NetnsSysctls sysctls, StateDir state, IpamDelegate ipam) {
    RtnlNamespaces namespaces =
        node.rtnlNamespaces()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "node " + node.label() + " offers no rtnetlink namespaces"));
    return create(node.root(), namespaces, sysctls, state, ipam);
  }

  static SriovPlugin create(
      SysfsRoot root,
      RtnlNamespaces namespaces,
      NetnsSysctls sysctls,
      StateDir state,
      IpamDelegate ipam) {
    SriovVfEngine engine =
        new SriovVfEngine(new VfLocator(root), namespaces, sysctls, state, MAC_RETRY);
    return new SriovPlugin(engine, ipam, namespaces, SriovPlugin.LOCK_TIMEOUT);
  }
}
