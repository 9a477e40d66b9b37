package io.sriov.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How a request to the API server becomes an RBAC call line (verb, group, resource, ...). */
class ApiCallLogTest {
  static final String NS = "sriov-network-operator";

  @Test
  void aRequestIsItsVerbGroupResourceSubresourceAndScope() {
    assertThat(ApiCallLog.call("GET", "/api/v1/nodes/node-a", NS))
        .isEqualTo("get\tcore\tnodes\t-\tcluster");
    assertThat(ApiCallLog.call("GET", "/api/v1/nodes?fieldSelector=metadata.name%3Dnode-a", NS))
        .isEqualTo("list\tcore\tnodes\t-\tcluster");
    assertThat(ApiCallLog.call("GET", "/api/v1/nodes?allowWatchBookmarks=true&watch=true", NS))
        .isEqualTo("watch\tcore\tnodes\t-\tcluster");
    assertThat(ApiCallLog.call("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn", NS))
        .isEqualTo("list\tcore\tpods\t-\tcluster");
    assertThat(ApiCallLog.call("POST", "/api/v1/namespaces/app/pods/web-0/eviction", NS))
        .isEqualTo("create\tcore\tpods\teviction\tother-namespace");
    assertThat(
            ApiCallLog.call(
                "PATCH",
                "/apis/sriovnetwork.openshift.io/v1/namespaces/"
                    + NS
                    + "/sriovnetworknodestates/node-a/status",
                NS))
        .isEqualTo(
            "patch\tsriovnetwork.openshift.io\tsriovnetworknodestates\tstatus\town-namespace");
    assertThat(
            ApiCallLog.call(
                "PUT", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/l", NS))
        .isEqualTo("update\tcoordination.k8s.io\tleases\t-\town-namespace");
    assertThat(ApiCallLog.call("DELETE", "/api/v1/namespaces/app/pods", NS))
        .isEqualTo("deletecollection\tcore\tpods\t-\tother-namespace");
    assertThat(ApiCallLog.call("GET", "/api/v1/namespaces/app", NS))
        .isEqualTo("get\tcore\tnamespaces\t-\tcluster");
  }

  @Test
  void aPathThatNamesNoResourceIsRefused() {
    assertThatThrownBy(() -> ApiCallLog.call("GET", "/version", NS))
        .hasMessage("not a resource path: /version");
    assertThatThrownBy(() -> ApiCallLog.call("GET", "/apis/coordination.k8s.io/v1", NS))
        .hasMessage("not a resource path: /apis/coordination.k8s.io/v1");
    assertThatThrownBy(() -> ApiCallLog.call("HEAD", "/api/v1/nodes", NS))
        .hasMessage("no RBAC verb for HEAD /api/v1/nodes");
  }
}
