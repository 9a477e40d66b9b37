package io.sriov.netlink.route;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.netns.NetNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Links of one network namespace ({@code ip link ...}). Links are addressed by ifindex. */
public interface LinkOperations {

  /** {@code ip link show}: one dump, without VF info or statistics. */
  List<Link> links() throws NetlinkException;

  /** {@code ip link show dev X} by ifindex: one RTM_GETLINK, never a dump. */
  Optional<Link> link(int index) throws NetlinkException;

  /** By name or alternative name: one RTM_GETLINK with IFLA_IFNAME / IFLA_ALT_IFNAME. */
  Optional<Link> link(String name) throws NetlinkException;

  /** {@code ip link set dev X up|down}. */
  void setUp(int index, boolean up) throws NetlinkException;

  /** {@code ip link set dev X mtu N}. */
  void setMtu(int index, int mtu) throws NetlinkException;

  /** {@code ip link set dev X address MAC}. */
  void setMac(int index, MacAddress mac) throws NetlinkException;

  /** {@code ip link set dev X name NEW}; the link must be down. */
  void rename(int index, InterfaceName name) throws NetlinkException;

  /** {@code ip link property add dev X altname NAME}. */
  void addAltName(int index, String altName) throws NetlinkException;

  /** {@code ip link property del dev X altname NAME}. */
  void deleteAltName(int index, String altName) throws NetlinkException;

  /**
   * {@code ip link set dev X netns NS}: the link leaves this namespace (down, without its addresses
   * and routes, released from its master) and appears in {@code ns}, keeping its ifindex when it is
   * free there. EEXIST when {@code ns} has a link of the same name.
   */
  void moveToNamespace(int index, NetNamespace ns) throws NetlinkException;

  /**
   * {@code ip link set dev X netns PATH}: as {@link #moveToNamespace(int, NetNamespace)}, to the
   * namespace whose file is at {@code namespace} ({@code open netns PATH: ENOENT ...} when there is
   * none); see {@link RtnlNamespaces}.
   */
  void moveToNamespace(int index, Path namespace) throws NetlinkException;

  /**
   * {@code ip link set dev X netns PATH name NEW}: the move and the rename in one RTM_SETLINK, as
   * the kernel runs them: it takes the link down and moves it first (under {@code name} when the
   * link's current name is taken in the target; EEXIST and nothing moved when both are), then
   * renames it to {@code name} there. A {@code name} taken in the target by then fails with EEXIST
   * AFTER the move: the link is in the target under its old name, and the caller must look for it
   * there.
   */
  void moveToNamespace(int index, Path namespace, InterfaceName name) throws NetlinkException;

  /** {@code ip link add ...}; returns the created link (looked up by name). */
  Link create(LinkSpec spec) throws NetlinkException;

  /** {@code ip link del dev X}. */
  void delete(int index) throws NetlinkException;

  /** {@code ip link set dev X master M} (bond enslave, bridge port). */
  void setMaster(int index, int masterIndex) throws NetlinkException;

  /** {@code ip link set dev X nomaster} (bond release). */
  void clearMaster(int index) throws NetlinkException;
}
