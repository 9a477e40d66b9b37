package io.sriov.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.sriov.cluster.testing.ApiRequestCounter.Key;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request counter of the mock API server: what it names each request, and what it counts. */
class ApiRequestCounterTest {

  static Key classify(String method, String path) {
    return ApiRequestCounter.classify("c", method, path);
  }

  @Test
  void namesVerbAndResourceAsTheApiServerDoes() {
    assertThat(classify("GET", "/api/v1/nodes/n1")).isEqualTo(new Key("c", "get", "nodes"));
    assertThat(classify("GET", "/api/v1/nodes?labelSelector=a%3Db"))
        .isEqualTo(new Key("c", "list", "nodes"));
    assertThat(classify("GET", "/api/v1/nodes?fieldSelector=metadata.name%3Dn1&watch=true"))
        .isEqualTo(new Key("c", "watch", "nodes"));
    assertThat(classify("GET", "/api/v1/namespaces/ns/pods?allowWatchBookmarks=true&watch=1"))
        .isEqualTo(new Key("c", "watch", "pods"));
    assertThat(classify("GET", "/api/v1/namespaces/ns/pods?watchx=true"))
        .isEqualTo(new Key("c", "list", "pods"));
    assertThat(classify("GET", "/api/v1/namespaces")).isEqualTo(new Key("c", "list", "namespaces"));
    assertThat(classify("GET", "/api/v1/namespaces/ns"))
        .isEqualTo(new Key("c", "get", "namespaces"));
    assertThat(classify("POST", "/api/v1/namespaces/ns/pods/p/eviction"))
        .isEqualTo(new Key("c", "create", "pods/eviction"));
    assertThat(
            classify(
                "PATCH",
                "/apis/sriovnetwork.openshift.io/v1/namespaces/ns/sriovnetworknodestates/n1/status"))
        .isEqualTo(new Key("c", "patch", "sriovnetworknodestates/status"));
    assertThat(classify("PUT", "/apis/coordination.k8s.io/v1/namespaces/ns/leases/l"))
        .isEqualTo(new Key("c", "update", "leases"));
    assertThat(classify("DELETE", "/api/v1/namespaces/ns/pods/p"))
        .isEqualTo(new Key("c", "delete", "pods"));
    assertThat(classify("DELETE", "/api/v1/namespaces/ns/pods"))
        .isEqualTo(new Key("c", "deletecollection", "pods"));
    assertThat(classify("GET", "/apis/coordination.k8s.io/v1"))
        .isEqualTo(new Key("c", "get", "discovery"));
  }

  @Test
  void aPathOutsideTheApiIsRefused() {
    assertThatThrownBy(() -> classify("GET", "/healthz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an API path: /healthz");
  }

  @Test
  void sinceKeepsOnlyWhatChanged() {
    Key get = new Key("c", "get", "nodes");
    Key list = new Key("c", "list", "nodes");
    assertThat(ApiRequestCounter.since(Map.of(get, 2L, list, 1L), Map.of(get, 5L, list, 1L)))
        .containsExactly(Map.entry(get, 3L));
  }

  @Test
  void countsEachRequestAtTheServerByClientVerbAndResource() throws Exception {
    try (MockApiServer server = MockApiServer.start();
        KubernetesClient a = server.newClient("agent-a");
        KubernetesClient b = server.newClient("agent-b")) {
      a.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build())
          .create();
      Map<Key, Long> before = server.requests().snapshot();
      ConfigMap cm =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("cm")
              .withNamespace("ns")
              .endMetadata()
              .addToData("k", "v")
              .build();
      a.configMaps().inNamespace("ns").resource(cm).create();
      a.configMaps().inNamespace("ns").withName("cm").get();
      a.configMaps().inNamespace("ns").withName("cm").get();
      b.configMaps().inNamespace("ns").list();
      // on the object read (withName(..).patch would GET it first: fabric8 counts as 2 requests)
      b.configMaps()
          .inNamespace("ns")
          .resource(cm)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"k\":\"w\"}}");
      Watch watch =
          b.configMaps()
              .inNamespace("ns")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {}

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
      Await.until(
          Duration.ofSeconds(10),
          () ->
              server.requests().snapshot().containsKey(new Key("agent-b", "watch", "configmaps")));
      watch.close();
      a.configMaps().inNamespace("ns").withName("cm").delete();

      assertThat(ApiRequestCounter.since(before, server.requests().snapshot()))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  new Key("agent-a", "create", "configmaps"), 1L,
                  new Key("agent-a", "get", "configmaps"), 2L,
                  new Key("agent-a", "delete", "configmaps"), 1L,
                  new Key("agent-b", "list", "configmaps"), 1L,
                  new Key("agent-b", "patch", "configmaps"), 1L,
                  new Key("agent-b", "watch", "configmaps"), 1L));
    }
  }
}
