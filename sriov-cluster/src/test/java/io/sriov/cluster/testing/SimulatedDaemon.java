package io.sriov.cluster.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.cluster.node.ClusterNodeAgent;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.engine.DrainGate;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.engine.NodeEngines;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node of the cluster-in-a-JVM: a simulated node (its own topology), the node engine on it
 * built by the daemon's own factory ({@link NodeEngines}), and the cluster agent feeding it; the
 * engine's passes run one at a time on their own thread, as the daemon's reconcile loop runs them.
 * With a {@link DrainGate} a pass the gate defers is retried with the last desired state after a
 * backoff, as the daemon's loop retries it.
 */
public final class SimulatedDaemon implements AutoCloseable {
  // DrainGate.NONE defers nothing: never used
  private static final ClusterNodeAgent.Backoff NEVER_DEFERRED =
      new ClusterNodeAgent.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));

  public final String name;
  public final SimulatedNode node;
  public final ClusterNodeAgent agent;
  private final NodeEngine engine;
  private final DrainGate gate;
  private final ClusterNodeAgent.Backoff deferredRetry;
  private final ScheduledExecutorService loop;
  private final AtomicInteger desiredHanded = new AtomicInteger();
  private final AtomicInteger deferred = new AtomicInteger();
  private volatile SriovNetworkNodeState lastDesired;
  private Duration retryIn; // the loop's thread only
  private ScheduledFuture<?> retry; // the loop's thread only

  /** A daemon whose engine applies without a drain ({@link DrainGate#NONE}). */
  public SimulatedDaemon(
      Path dir, String name, String topologyYaml, KubernetesClient client, String namespace)
      throws IOException {
    this(dir, name, topologyYaml, client, namespace, DrainGate.NONE, NEVER_DEFERRED);
  }

  /**
   * @param gate what the engine asks before a pass that disrupts VFs
   * @param deferredRetry when a pass the gate deferred is tried again (doubling up to the max)
   */
  public SimulatedDaemon(
      Path dir,
      String name,
      String topologyYaml,
      KubernetesClient client,
      String namespace,
      DrainGate gate,
      ClusterNodeAgent.Backoff deferredRetry)
      throws IOException {
    this.name = name;
    this.gate = gate;
    this.deferredRetry = deferredRetry;
    this.retryIn = deferredRetry.initial();
    Files.createDirectories(dir);
    Path topo = dir.resolve("topology.yaml");
    Files.writeString(topo, topologyYaml, StandardCharsets.UTF_8);
    this.node = SimulatedNode.create(dir.resolve("node"), Topology.load(topo));
    this.engine = NodeEngines.on(node, dir.resolve("state"), 2, new SimpleMeterRegistry());
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "engine-" + name);
              t.setDaemon(true);
              return t;
            });
    this.agent =
        new ClusterNodeAgent(
            client,
            namespace,
            name,
            desired -> {
              desiredHanded.incrementAndGet();
              lastDesired = desired;
              loop.execute(this::pass);
            },
            new ClusterNodeAgent.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
            Clock.systemUTC());
  }

  /** The first pass (nothing desired yet: discovery and status), then the cluster side. */
  public void start() {
    lastDesired = SriovNetworkNodeState.of(name, NodeStateSpec.of(List.of()));
    recheck();
    agent.start();
  }

  /** A pass with the last desired state (what the daemon's drift re-check does). */
  public void recheck() {
    loop.execute(this::pass);
  }

  /** One engine pass with the last desired state; a deferred one is tried again later. */
  private void pass() {
    if (retry != null) {
      retry.cancel(false); // this pass is the retry, or makes it moot
    }
    NodeEngine.Pass pass = engine.reconcile(lastDesired, gate);
    agent.observed(pass.state());
    if (pass.deferred().isPresent()) {
      deferred.incrementAndGet();
      retry = loop.schedule(this::pass, retryIn.toMillis(), TimeUnit.MILLISECONDS);
      Duration next = retryIn.multipliedBy(2);
      retryIn = next.compareTo(deferredRetry.max()) > 0 ? deferredRetry.max() : next;
    } else {
      retryIn = deferredRetry.initial();
    }
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
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    node.close();
  }
}
