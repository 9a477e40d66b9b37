package io.sriov.observability.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.port.PodResources;
import io.sriov.observability.NodeCollector;
import io.sriov.observability.pool.PoolSource;
import io.sriov.observability.vf.VfNamespaces;
import io.sriov.observability.vf.VfTraffic;
import io.sriov.simulator.SimulatedNode;

/** The node metrics of a SIMULATED node, wired as the daemon wires them on a real one. */
public final class SimulatedCollectors {
  private SimulatedCollectors() {}

  /**
   * A collector reading {@code node}'s discovery and rtnetlink, with no VF recorded in a pod
   * namespace.
   */
  public static NodeCollector of(
      SimulatedNode node, PodResources pods, PoolSource pools, MeterRegistry meters) {
    return new NodeCollector(
        node.discovery(),
        new VfTraffic(
            node.rtnl().orElseThrow(),
            node.rtnlNamespaces().orElseThrow(),
            VfNamespaces.NONE,
            meters),
        pods,
        pools,
        meters);
  }
}
