package io.sriov.simulator.netlink;

import io.sriov.netlink.route.RtnlNamespaces;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The rtnetlink contract on the simulation, namespaces named like the kernel test's. */
class SimulatedRtnlContractTest extends RtnlContract {
  private final SimulatedNetwork network = new SimulatedNetwork(List.of());
  private final AtomicInteger counter = new AtomicInteger();

  @Override
  protected RtnlNamespaces namespaces() {
    return network;
  }

  @Override
  protected Path createNamespace(String suffix) {
    Path p = Path.of("/var/run/netns/sriovct-sim-" + counter.incrementAndGet() + suffix);
    network.createNamespace(p);
    return p;
  }

  @Override
  protected void deleteNamespace(Path namespace) {
    network.deleteNamespace(namespace);
  }
}
