package io.sriov.daemon.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.desired.NodeStateValidator;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.ownership.FileOwnershipStore;
import io.sriov.daemon.plan.Planner;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.node.Node;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds the {@link NodeEngine} on a {@link Node}, the one way every daemon does it ({@code
 * bin/sriov-node}'s composition root and the cluster-in-a-JVM's simulated daemons): the node's
 * discovery, its sysfs writer behind a {@link SriovProvisioner}, its rtnetlink (required), its
 * devlink (a node without it answers EOPNOTSUPP, i.e. legacy eswitch), the ownership record {@value
 * #OWNERSHIP_FILE} in the state dir.
 */
public final class NodeEngines {
  /** The ownership record's name in the daemon's state dir. */
  public static final String OWNERSHIP_FILE = "owned-pfs.json";

  private NodeEngines() {}

  /**
   * The engine on {@code node}: {@code parallelism} PFs applied at once, its meters on {@code
   * meters}, its ownership record in {@code stateDir}.
   *
   * @throws IOException when the node has no rtnetlink (the message names the node) or the
   *     ownership record cannot be opened
   */
  public static NodeEngine on(Node node, Path stateDir, int parallelism, MeterRegistry meters)
      throws IOException {
    RtnlOperations rtnl =
        node.rtnl()
            .orElseThrow(
                () ->
                    new IOException(
                        "node "
                            + node.label()
                            + " has no rtnetlink: PF and VF link settings cannot be read or"
                            + " applied"));
    DevlinkOperations devlink = node.devlink().orElseGet(NoDevlink::new);
    SriovProvisioner provisioner =
        new SriovProvisioner(node.root(), node.sysfsWriter(), ProvisionTimeouts.defaults());
    NodeObserver observer = new NodeObserver(node.discovery(), rtnl, devlink);
    FileOwnershipStore ownership = FileOwnershipStore.open(stateDir.resolve(OWNERSHIP_FILE));
    Applier applier = new Applier(provisioner, rtnl, devlink, observer, ownership, parallelism);
    return new NodeEngine(
        observer,
        new NodeStateValidator(),
        new Planner(),
        applier,
        ownership,
        new StatusReporter(),
        meters);
  }
}
