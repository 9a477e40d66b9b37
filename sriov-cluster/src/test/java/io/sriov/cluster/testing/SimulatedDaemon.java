package io.sriov.cluster.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.cluster.node.ClusterNodeAgent;
import io.sriov.core.retry.Backoff;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.engine.DrainGate;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.engine.NodeEngines;
import io.sriov.daemon.engine.ReconcileLoop;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node of the cluster-in-a-JVM: a simulated node (its own topology), the node engine on it
 * built by the daemon's own factory ({@link NodeEngines}), and the cluster agent feeding the
 * daemon's own {@link ReconcileLoop}, wired as cluster mode wires them (config-daemon-app's {@code
 * ClusterMode}): the first pass only observes, every rendered desired state goes to the loop, every
 * pass of the loop to the agent; with a {@link DrainGate} a pass the gate defers is asked again by
 * the loop with its backoff.
 */
public final class SimulatedDaemon implements AutoCloseable {
  public final String name;
  public final SimulatedNode node;
  public final ClusterNodeAgent agent;
  private final NodeEngine engine;
  private final DrainGate gate;
  private final Backoff.Delays deferredRetry;
  private final AtomicInteger desiredHanded = new AtomicInteger();
  private final AtomicInteger deferred = new AtomicInteger();
  private volatile ReconcileLoop loop;

  /** A daemon whose engine applies without a drain ({@link DrainGate#NONE}). */
  public SimulatedDaemon(
      Path dir, String name, String topologyYaml, KubernetesClient client, String namespace)
      throws IOException {
    this(dir, name, topologyYaml, client, namespace, DrainGate.NONE, Backoff.Delays.DEFAULT);
  }

  /**
   * @param gate what the engine asks before a pass that disrupts VFs
   * @param deferredRetry when the loop asks again after the gate deferred a pass
   */
  public SimulatedDaemon(
      Path dir,
      String name,
      String topologyYaml,
      KubernetesClient client,
      String namespace,
      DrainGate gate,
      Backoff.Delays deferredRetry)
      throws IOException {
    this.name = name;
    this.gate = gate;
    this.deferredRetry = deferredRetry;
    Files.createDirectories(dir);
    Path topo = dir.resolve("topology.yaml");
    Files.writeString(topo, topologyYaml, StandardCharsets.UTF_8);
    this.node = SimulatedNode.create(dir.resolve("node"), Topology.load(topo));
    this.engine = NodeEngines.on(node, dir.resolve("state"), 2, new SimpleMeterRegistry());
    this.agent =
        new ClusterNodeAgent(
            client,
            namespace,
            name,
            desired -> {
              desiredHanded.incrementAndGet();
              loop.desiredChanged(desired);
            },
            new Backoff.Delays(Duration.ofMillis(100), Duration.ofSeconds(1)),
            Clock.systemUTC());
  }

  /**
   * The first pass (it only observes: nothing desired yet, the node's status), the loop, then the
   * cluster side with that pass as the node's status, as cluster mode starts.
   */
  public void start() {
    NodeEngine.Pass first =
        engine.observe(
            SriovNetworkNodeState.of(name, NodeStateSpec.of(List.of())),
            "first pass after start: observing until the API server's desired state");
    loop =
        new ReconcileLoop(
            engine,
            first.state(),
            gate,
            deferredRetry,
            new SimpleMeterRegistry(),
            (cause, pass) -> {
              if (pass.deferred().isPresent() && cause != ReconcileLoop.Cause.DRIFT) {
                deferred.incrementAndGet();
              }
              agent.observed(pass.state());
            });
    agent.start();
    agent.observed(first.state());
  }

  /** A re-check of the last good desired state (what the daemon's drift watch asks for). */
  public void recheck() {
    loop.recheck();
  }

  /** Passes the drain gate deferred so far. */
  public int deferred() {
    return deferred.get();
  }

  /** {@code ip link set dev <netdev> mtu <mtu>} on the simulated node, behind the daemon's back. */
  public void setMtu(String netdev, int mtu) throws Exception {
    var rtnl = node.rtnl().orElseThrow(); // the node's own session, shared with the engine
    rtnl.setMtu(rtnl.link(netdev).orElseThrow().index(), mtu);
  }

  /** Desired states handed to the engine so far. */
  public int desiredHanded() {
    return desiredHanded.get();
  }

  /** The VF count of a PF as the simulated kernel has it. */
  public int numVfs(String pci) {
    try {
      return Integer.parseInt(
          Files.readString(node.root().pciAttribute(PciAddress.parse(pci), "sriov_numvfs"))
              .strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    agent.close();
    if (loop != null) {
      loop.close();
    }
    node.close();
  }
}
