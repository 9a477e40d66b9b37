package io.sriov.cluster.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.sriov.cluster.testing.ApiRequestCounter;
import io.sriov.cluster.testing.MockApiServer;
import org.junit.jupiter.api.Test;

/** What the cordon costs the API server: one read and one conditional patch per change. */
class NodeCordonIT {

  @Test
  void cordonAndUncordonAreEachOneReadAndOnePatch() {
    try (MockApiServer api = MockApiServer.start()) {
      api.client()
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName("n1")
                  .endMetadata()
                  .withNewSpec()
                  .endSpec()
                  .build())
          .create();
      NodeCordon cordon = new NodeCordon(api.client(), "n1");

      var before = api.requests().snapshot();
      cordon.cordon();
      // fabric8's withName(..).patch would GET the node a second time before the PATCH
      assertThat(ApiRequestCounter.since(before, api.requests().snapshot()))
          .extractingFromEntries(e -> e.getKey().verbResource() + "=" + e.getValue())
          .containsExactlyInAnyOrder("get nodes=1", "patch nodes=1");
      assertThat(api.client().nodes().withName("n1").get().getSpec().getUnschedulable()).isTrue();

      before = api.requests().snapshot();
      assertThat(cordon.uncordon()).isTrue();
      assertThat(ApiRequestCounter.since(before, api.requests().snapshot()))
          .extractingFromEntries(e -> e.getKey().verbResource() + "=" + e.getValue())
          .containsExactlyInAnyOrder("get nodes=1", "patch nodes=1");
      assertThat(api.client().nodes().withName("n1").get().getSpec().getUnschedulable()).isFalse();
    }
  }
}
