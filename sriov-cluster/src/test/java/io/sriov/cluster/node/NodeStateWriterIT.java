package io.sriov.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sriov.cluster.api.SriovNetworkNodeState;
import io.sriov.cluster.testing.ApiRequestCounter;
import io.sriov.cluster.testing.ApiServer;
import io.sriov.cluster.testing.ApiServers;
import io.sriov.cluster.testing.MockApiServer;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.SyncStatus;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer against the API server: create, no-op writes, array replacement, conflicts. */
class NodeStateWriterIT {
  static final String NS = "sriov-network-operator";
  ApiServer server;
  KubernetesClient client;
  Node node;
  NodeStateWriter writer;

  @BeforeEach
  void setUp() {
    server = ApiServers.start();
    client = server.client();
    node =
        client
            .nodes()
            .resource(new NodeBuilder().withNewMetadata().withName("w1").endMetadata().build())
            .create();
    writer = new NodeStateWriter(client, NS, "w1", Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  static NodeStateStatus status(SyncStatus sync, int... numVfs) {
    List<InterfaceStatus> ifs =
        java.util.stream.IntStream.range(0, numVfs.length)
            .mapToObj(
                i ->
                    new InterfaceStatus(
                        "ens" + i,
                        "",
                        "ice",
                        "0000:3b:00." + i,
                        "8086",
                        "159b",
                        "",
                        1500,
                        numVfs[i],
                        "",
                        "ETH",
                        "up",
                        "",
                        false,
                        16,
                        List.of(),
                        List.of()))
            .toList();
    return NodeStateStatus.of(ifs, sync, "");
  }

  SriovNetworkNodeState fromServer() {
    return client.resources(SriovNetworkNodeState.class).inNamespace(NS).withName("w1").get();
  }

  @Test
  void createsTheStateOwnedByTheNode() {
    writer.ensure(node);
    SriovNetworkNodeState s = fromServer();
    assertThat(s.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Node");
              assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid());
            });
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(SriovNetworkNodeState.DESIRED_STATE_ANNOTATION, "Idle")
        .containsEntry(SriovNetworkNodeState.CURRENT_STATE_ANNOTATION, "Idle");
  }

  @Test
  void writesOnlyWhatChangedAndReplacesArraysWhole() {
    writer.ensure(node);
    assertThat(writer.writeStatus(status(SyncStatus.SUCCEEDED, 0, 0))).isTrue();
    assertThat(writer.writeStatus(status(SyncStatus.SUCCEEDED, 0, 0))).isFalse();
    int before = server.requestCount();
    assertThat(writer.writeStatus(status(SyncStatus.SUCCEEDED, 0, 0))).isFalse();
    assertThat(server.requestCount()).isEqualTo(before);

    assertThat(writer.writeStatus(status(SyncStatus.SUCCEEDED, 4))).isTrue();
    assertThat(fromServer().getStatus().interfaces())
        .extracting(InterfaceStatus::numVfs)
        .containsExactly(4);

    NodeStateSpec spec =
        NodeStateSpec.of(
            List.of(new InterfaceSpec("0000:3b:00.0", 4, 0, "ens0", "", "", List.of(), false)));
    assertThat(writer.writeSpec(spec)).isTrue();
    assertThat(fromServer().getSpec()).isEqualTo(spec);
    assertThat(writer.writeSpec(NodeStateSpec.of(List.of()))).isTrue();
    assertThat(fromServer().getSpec().interfaces()).isEmpty();
  }

  @Test
  void aChangedWriteIsOnePatchAndNoRead() {
    writer.ensure(node);
    writer.writeStatus(status(SyncStatus.IN_PROGRESS, 0));
    // requests by verb are counted at the mock's dispatcher; K3s (-Pk3s) has no such count
    assumeTrue(server instanceof MockApiServer, "per-verb request counts need the mock server");
    MockApiServer mock = (MockApiServer) server;
    var before = mock.requests().snapshot();
    assertThat(writer.writeStatus(status(SyncStatus.SUCCEEDED, 4))).isTrue();
    assertThat(
            writer.writeSpec(
                NodeStateSpec.of(
                    List.of(
                        new InterfaceSpec(
                            "0000:3b:00.0", 4, 0, "ens0", "", "", List.of(), false)))))
        .isTrue();
    // fabric8's withName(..).patch would GET the object before each PATCH: 4 requests
    assertThat(ApiRequestCounter.since(before, mock.requests().snapshot()))
        .extractingFromEntries(e -> e.getKey().verbResource() + "=" + e.getValue())
        .containsExactlyInAnyOrder(
            "patch sriovnetworknodestates/status=1", "patch sriovnetworknodestates=1");
  }

  @Test
  void aConflictingWriteIsRecomputedOnTheFreshObject() {
    writer.ensure(node);
    writer.writeStatus(status(SyncStatus.IN_PROGRESS, 0));
    // someone else (the drain side) changes the object: the writer's resourceVersion is stale
    client
        .resources(SriovNetworkNodeState.class)
        .inNamespace(NS)
        .withName("w1")
        .edit(
            s -> {
              s.getMetadata()
                  .getAnnotations()
                  .put(SriovNetworkNodeState.CURRENT_STATE_ANNOTATION, "Draining");
              return s;
            });
    int before = server.requestCount();
    assertThat(writer.writeStatus(status(SyncStatus.SUCCEEDED, 2))).isTrue();
    // not one patch: at least the stale patch (409), a fresh read and the recomputed patch
    assertThat(server.requestCount() - before).isGreaterThanOrEqualTo(3);
    SriovNetworkNodeState s = fromServer();
    assertThat(s.getStatus().syncStatus()).isEqualTo("Succeeded");
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(SriovNetworkNodeState.CURRENT_STATE_ANNOTATION, "Draining");
  }
}
