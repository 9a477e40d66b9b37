package io.sriov.cluster.node;

import io.sriov.daemon.state.SriovNetworkNodeState;

/**
 * Where the cluster side hands the node engine a new desired state: the same port the file mode
 * feeds (the daemon's reconcile loop, {@code desiredChanged}). The engine never talks to the API
 * server; it reports its passes back through {@link ClusterNodeAgent#observed}.
 */
@FunctionalInterface
public interface DesiredStatePort {
  void desiredChanged(SriovNetworkNodeState desired);
}
