package io.sriov.netlink.route;

import io.sriov.netlink.NetlinkException;
import java.nio.file.Path;

/**
 * rtnetlink in any network namespace of the node, each named by the path of its namespace file
 * ({@code /var/run/netns/NAME}, a CNI runtime's {@code CNI_NETNS}, {@code /proc/PID/ns/net}), the
 * way {@code ip -n NAME ...} and {@code nsenter --net=PATH ip ...} reach it. Code that moves a
 * netdev into a pod and configures it there (the CNI plugins) is written once against this port and
 * {@link RtnlOperations}: {@link KernelRtnlNamespaces} is the kernel's, the simulated node has its
 * own.
 */
public interface RtnlNamespaces {

  /**
   * The node's own namespace, where PFs and unassigned VF netdevs live; pass it to {@link
   * LinkOperations#moveToNamespace(int, Path)} to give a netdev back to the host.
   */
  Path hostNamespace();

  /**
   * Opens rtnetlink bound to the namespace at {@code namespace}; the caller closes it. Fails with
   * {@code open netns PATH: ENOENT (No such file or directory)} when there is no such namespace.
   */
  RtnlOperations open(Path namespace) throws NetlinkException;

  /**
   * Whether a namespace file at {@code namespace} opens now (a pod's namespace still alive, as
   * upstream's {@code ns.GetNS} tells). This default opens rtnetlink there; {@link
   * KernelRtnlNamespaces} only opens the file, checks it is a namespace (nsfs) and closes it.
   */
  default boolean exists(Path namespace) {
    try (RtnlOperations ignored = open(namespace)) {
      return true;
    } catch (NetlinkException e) {
      return false;
    }
  }

  /**
   * Creates a new network namespace with only lo (down), alive while the returned handle is open
   * ({@code unshare(CLONE_NEWNET)} on a throwaway thread, the namespace held by an open fd, no
   * mount): see {@link TemporaryNamespace}.
   */
  TemporaryNamespace createTemporary() throws NetlinkException;

  /**
   * Asks the host namespace's rtnetlink for its loopback link (ifindex 1) on a fresh socket, as
   * {@code ip link show lo} does: succeeds when rtnetlink can be reached (a plugin's STATUS).
   */
  default void probeHost() throws NetlinkException {
    try (RtnlOperations host = open(hostNamespace())) {
      host.link(1);
    }
  }
}
