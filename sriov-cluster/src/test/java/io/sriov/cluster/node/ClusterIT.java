package io.sriov.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sriov.cluster.api.SriovNetworkNicSelector;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkNodeState;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.api.SriovOperatorConfigSpec;
import io.sriov.cluster.testing.ApiServer;
import io.sriov.cluster.testing.ApiServers;
import io.sriov.cluster.testing.MockApiServer;
import io.sriov.cluster.testing.NodePolicies;
import io.sriov.cluster.testing.SimulatedDaemon;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.VfGroupSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster in one JVM: one API server, three daemons on their own simulated nodes (different
 * NICs and labels). Policies are applied and changed, a Node's labels change, a policy is rejected
 * and withdrawn, the API server stops and comes back; each node's published spec is compared with
 * the expected rendering and its status must reach {@code Succeeded} with the VFs on the node.
 */
class ClusterIT {
  static final String NS = "sriov-network-operator";
  static final Duration CONVERGE = Duration.ofSeconds(60);

  static final String INTEL_PF =
      """
        - address: "%s"
          vendor: "8086"
          device: "%s"
          vfDevice: "%s"
          driver: %s
          vfDriver: iavf
          totalVfs: %d
          numVfs: 0
          netdev: %s
      """;

  static String topology(String name, String... pfs) {
    return "# SIMULATION: cluster test node\nname: " + name + "\npfs:\n" + String.join("", pfs);
  }

  static final String NODE_A =
      topology(
          "node-a",
          INTEL_PF.formatted("0000:3b:00.0", "159b", "1889", "ice", 16, "ens1f0"),
          INTEL_PF.formatted("0000:3b:00.1", "159b", "1889", "ice", 16, "ens1f1"));
  static final String NODE_B =
      topology(
          "node-b",
          INTEL_PF.formatted("0000:5e:00.0", "1572", "154c", "i40e", 32, "ens3f0"),
          """
            - address: "0000:af:00.0"
              vendor: "15b3"
              device: "101d"
              vfDevice: "101e"
              driver: mlx5_core
              vfDriver: mlx5_core
              totalVfs: 8
              numVfs: 0
              netdev: ens2f0np0
          """);
  static final String NODE_C =
      topology("node-c", INTEL_PF.formatted("0000:3b:00.0", "159b", "1889", "ice", 16, "ens1f0"));

  static final Map<String, String> WORKER =
      Map.of("node-role.kubernetes.io/worker", "", "kubernetes.io/os", "linux");
  static final String CAPABLE = "feature.node.kubernetes.io/network-sriov.capable";

  @TempDir Path dir;
  ApiServer server;
  KubernetesClient admin;
  final List<SimulatedDaemon> daemons = new ArrayList<>();

  @BeforeEach
  void cluster() throws Exception {
    server = ApiServers.start();
    admin = server.client();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    node("node-a", Map.of(CAPABLE, "true", "zone", "a"));
    node("node-b", Map.of(CAPABLE, "true", "zone", "b"));
    node("node-c", Map.of("zone", "c"));
    SriovOperatorConfig config = new SriovOperatorConfig();
    config.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace(NS).build());
    config.setSpec(
        new SriovOperatorConfigSpec(
            null, false, false, 2, false, false, "daemon", false, null, null, null));
    admin.resources(SriovOperatorConfig.class).inNamespace(NS).resource(config).create();
    for (var e : Map.of("node-a", NODE_A, "node-b", NODE_B, "node-c", NODE_C).entrySet()) {
      SimulatedDaemon d =
          new SimulatedDaemon(
              dir.resolve(e.getKey()), e.getKey(), e.getValue(), server.newClient(), NS);
      daemons.add(d);
      d.start();
    }
  }

  @AfterEach
  void stop() {
    daemons.forEach(SimulatedDaemon::close);
    if (server instanceof MockApiServer mock) {
      // the chart's RBAC check reads this record (the -Pk3s run records nothing)
      mock.recordDaemonCalls(ClusterIT.class, NS);
    }
    server.close();
  }

  void node(String name, Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(WORKER);
    all.putAll(labels);
    admin
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(all)
                .endMetadata()
                .build())
        .create();
  }

  SimulatedDaemon daemon(String name) {
    return daemons.stream().filter(d -> d.name.equals(name)).findFirst().orElseThrow();
  }

  static SriovNetworkNodePolicy policy(
      String name,
      int priority,
      Map<String, String> nodeSelector,
      SriovNetworkNicSelector nics,
      int numVfs,
      String deviceType,
      String resource) {
    return NodePolicies.policy(
        NS, name, priority, nodeSelector, nics, numVfs, deviceType, resource);
  }

  static SriovNetworkNicSelector model(String vendor, String device) {
    return new SriovNetworkNicSelector(vendor, device, null, null, null);
  }

  static SriovNetworkNicSelector pfNames(String... names) {
    return new SriovNetworkNicSelector(null, null, null, List.of(names), null);
  }

  void apply(SriovNetworkNodePolicy p) {
    admin
        .resources(SriovNetworkNodePolicy.class)
        .inNamespace(NS)
        .resource(p)
        .createOr(r -> r.update());
  }

  SriovNetworkNodeState state(String node) {
    return admin.resources(SriovNetworkNodeState.class).inNamespace(NS).withName(node).get();
  }

  static InterfaceSpec iface(String pci, String name, int numVfs, VfGroupSpec... groups) {
    return new InterfaceSpec(pci, numVfs, 0, name, "", "", List.of(groups), false);
  }

  static VfGroupSpec group(String resource, String type, String range, String policy) {
    return new VfGroupSpec(resource, type, range, policy, 0, false, "");
  }

  /** Waits until every node's published spec is the expected one and its status Succeeded. */
  void converge(Map<String, NodeStateSpec> table) {
    for (var e : table.entrySet()) {
      await(
          e.getKey() + " converged to " + e.getValue(),
          () -> {
            SriovNetworkNodeState s = state(e.getKey());
            return s != null
                && s.getSpec().equals(e.getValue())
                && s.getStatus().syncStatus().equals("Succeeded");
          });
    }
  }

  static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException ignored) {
        // the API server may be restarting: poll again
      }
      sleep(50);
    }
    throw new AssertionError("timed out waiting: " + what);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static NodeStateSpec spec(InterfaceSpec... ifs) {
    return NodeStateSpec.of(List.of(ifs));
  }

  @Test
  void policiesRenderPerNodeAndSurviveAnApiServerRestart() throws Exception {
    Map<String, String> capable = Map.of(CAPABLE, "true");
    apply(policy("intel-net", 10, capable, model("8086", "159b"), 4, "netdevice", "intel_net"));
    apply(policy("mlx-net", 20, Map.of("zone", "b"), model("15b3", ""), 2, "netdevice", "mlx_net"));

    // step 1: the table of what each node renders
    converge(
        Map.of(
            "node-a",
            spec(
                iface(
                    "0000:3b:00.0",
                    "ens1f0",
                    4,
                    group("intel_net", "netdevice", "0-3", "intel-net")),
                iface(
                    "0000:3b:00.1",
                    "ens1f1",
                    4,
                    group("intel_net", "netdevice", "0-3", "intel-net"))),
            "node-b",
            spec(
                iface(
                    "0000:af:00.0",
                    "ens2f0np0",
                    2,
                    group("mlx_net", "netdevice", "0-1", "mlx-net"))),
            "node-c",
            spec()));
    assertThat(daemon("node-a").numVfs("0000:3b:00.0")).isEqualTo(4);
    assertThat(daemon("node-b").numVfs("0000:af:00.0")).isEqualTo(2);
    assertThat(daemon("node-b").numVfs("0000:5e:00.0")).isZero();
    assertThat(daemon("node-c").numVfs("0000:3b:00.0")).isZero();
    SriovNetworkNodeState a = state("node-a");
    assertThat(a.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Node");
              assertThat(o.getName()).isEqualTo("node-a");
            });
    assertThat(a.getMetadata().getAnnotations())
        .containsEntry(SriovNetworkNodeState.DESIRED_STATE_ANNOTATION, "Idle")
        .containsEntry(SriovNetworkNodeState.CURRENT_STATE_ANNOTATION, "Idle");
    assertThat(a.getStatus().interfaces()).extracting(i -> i.numVfs()).containsExactly(4, 4);
    await(
        "a SyncStatusChanged event",
        () ->
            events("node-a", "SyncStatusChanged")
                .contains("Status changed from: InProgress to: Succeeded. Last Error: "));

    // nothing changes: no request reaches the server (watches stay open, no status rewrites)
    int before = server.requestCount();
    sleep(1500);
    assertThat(server.requestCount() - before).as("requests while idle").isZero();

    // step 2: a vfio-pci partition of ens1f0 at the same priority merges; node-c gets the label
    apply(policy("intel-dpdk", 10, capable, pfNames("ens1f0#4-7"), 8, "vfio-pci", "intel_dpdk"));
    admin
        .nodes()
        .withName("node-c")
        .edit(
            n ->
                new NodeBuilder(n)
                    .editMetadata()
                    .addToLabels(CAPABLE, "true")
                    .endMetadata()
                    .build());
    InterfaceSpec partitioned =
        iface(
            "0000:3b:00.0",
            "ens1f0",
            8,
            group("intel_net", "netdevice", "0-3", "intel-net"),
            group("intel_dpdk", "vfio-pci", "4-7", "intel-dpdk"));
    NodeStateSpec nodeA =
        spec(
            partitioned,
            iface(
                "0000:3b:00.1", "ens1f1", 4, group("intel_net", "netdevice", "0-3", "intel-net")));
    converge(
        Map.of(
            "node-a",
            nodeA,
            "node-b",
            spec(
                iface(
                    "0000:af:00.0",
                    "ens2f0np0",
                    2,
                    group("mlx_net", "netdevice", "0-1", "mlx-net"))),
            "node-c",
            spec(partitioned)));
    assertThat(daemon("node-c").numVfs("0000:3b:00.0")).isEqualTo(8);

    // step 3: a policy the webhook would refuse is left out and reported on node-a only
    apply(
        policy(
            "too-many", 10, Map.of("zone", "a"), pfNames("ens1f1#8-19"), 20, "netdevice", "big"));
    String rejection =
        "policy too-many: numVfs(20) in CR too-many exceed the maximum allowed value(16)"
            + " interface(ens1f1)";
    await(
        "node-a reports the rejected policy",
        () ->
            state("node-a").getStatus().syncStatus().equals("Failed")
                && state("node-a").getStatus().lastSyncError().equals(rejection));
    // the event follows the status write
    await("a PolicyRejected event", () -> events("node-a", "PolicyRejected").contains(rejection));
    assertThat(events("node-a", "PolicyRejected")).containsExactly(rejection);
    assertThat(state("node-b").getStatus().syncStatus()).isEqualTo("Succeeded");
    admin.resources(SriovNetworkNodePolicy.class).inNamespace(NS).withName("too-many").delete();
    await("node-a recovers", () -> state("node-a").getStatus().syncStatus().equals("Succeeded"));

    // step 4: the API server goes away: nodes keep what they applied, nothing new is handed;
    // what the engine observes meanwhile (an MTU changed behind its back) is retried with backoff
    // and published when the server is back
    Map<String, Integer> handed = new HashMap<>();
    daemons.forEach(d -> handed.put(d.name, d.desiredHanded()));
    server.stop();
    daemon("node-a").setMtu("ens1f1", 9000);
    daemon("node-a").recheck();
    sleep(2000);
    daemons.forEach(d -> assertThat(d.desiredHanded()).as(d.name).isEqualTo(handed.get(d.name)));
    assertThat(daemon("node-a").numVfs("0000:3b:00.0")).isEqualTo(8);
    server.restart();
    await(
        "node-a publishes what it observed while the server was away",
        () -> state("node-a").getStatus().interfaces().get(1).mtu() == 9000);
    // the mock keeps no watch history: a change made before a watch is back would be lost
    // (a real server replays it or answers 410 and the informer relists; see the README)
    await(
        "every informer watching again", () -> daemons.stream().allMatch(d -> d.agent.watching()));

    // step 5: back; a change after the restart reaches every node
    admin.resources(SriovNetworkNodePolicy.class).inNamespace(NS).withName("mlx-net").delete();
    converge(Map.of("node-a", nodeA, "node-b", spec(), "node-c", spec(partitioned)));
    await("node-b reset its PF", () -> daemon("node-b").numVfs("0000:af:00.0") == 0);
  }

  List<String> events(String node, String reason) {
    return admin.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> node.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }
}
