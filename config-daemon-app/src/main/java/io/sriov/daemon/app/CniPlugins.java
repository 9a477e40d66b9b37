package io.sriov.daemon.app;

import io.sriov.bond.BondPlugin;
import io.sriov.bond.BondingDriver;
import io.sriov.cni.plugin.CniPlugin;
import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.cni.sriov.KernelNetnsSysctls;
import io.sriov.cni.sriov.NetnsSysctls;
import io.sriov.cni.sriov.SriovCni;
import io.sriov.cni.sriov.StateDir;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.node.Node;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI plugins the daemon serves to the shim, by the name the shim is installed as: {@code
 * sriov} (sriov-cni) and {@code bond} (sriov-bond) on this process's node, each with the state
 * directory its standalone plugin uses, so both paths share caches and locks.
 */
final class CniPlugins {
  private static final Logger log = LoggerFactory.getLogger(CniPlugins.class);

  private CniPlugins() {}

  /**
   * @param sriovState the sriov plugin's state ({@link StateDir#DEFAULT_ROOT} on a real node)
   * @param bondState the bond plugin's ({@link BondPlugin#DEFAULT_STATE_DIR} on a real node)
   */
  static Map<String, CniPlugin> on(Node node, Path sriovState, Path bondState) {
    RtnlNamespaces namespaces =
        node.rtnlNamespaces()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "node " + node.label() + " offers no rtnetlink namespaces"));
    return Map.of(
        "sriov",
        SriovCni.onNode(node, sysctls(node), new StateDir(sriovState), new IpamDelegate()),
        "bond",
        new BondPlugin(
            namespaces,
            new IpamDelegate(),
            bondState,
            new SecureRandom(),
            node.simulated() ? BondingDriver.PRESENT : BondingDriver.kernel()));
  }

  /**
   * The pod's sysctls: written in the namespace on a real node; a SIMULATED node's namespaces have
   * no {@code /proc/sys}, so there they are logged and taken as written.
   */
  private static NetnsSysctls sysctls(Node node) {
    if (!node.simulated()) {
      return new KernelNetnsSysctls(new NetnsExecutor());
    }
    return (Path netns, String key, String value) -> {
      log.debug("simulated node: sysctl not written netns={} key={} value={}", netns, key, value);
      return true;
    };
  }
}
