package io.sriov.daemon.app;

import io.sriov.node.HostNode;
import io.sriov.node.Node;
import io.sriov.node.NodeOptions;
import io.sriov.simulator.SimulatedNodes;
import java.io.IOException;

/** Opens the node the command line asks for. */
@FunctionalInterface
public interface NodeFactory {
  Node open(DaemonCommandLine cmd) throws IOException;

  /**
   * With {@code --simulated-node[=FILE]} a SIMULATED node generated in a temp directory (removed at
   * close); otherwise the real node under {@code --sysfs-root}.
   */
  NodeFactory DEFAULT =
      cmd ->
          cmd.simulatedNode().isPresent()
              ? SimulatedNodes.open(cmd.simulatedNode().get())
              : HostNode.open(NodeOptions.defaults().withSysfsRoot(cmd.sysfsRoot()));
}
