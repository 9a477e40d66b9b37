package io.sriov.cluster.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sriov.cluster.api.SriovNetworkNicSelector;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkNodePolicySpec;
import java.util.Map;

/** SriovNetworkNodePolicies for the cluster-in-a-JVM tests and the scale benchmark. */
public final class NodePolicies {
  private NodePolicies() {}

  /** A policy with upstream's zero values for every field not given (mtu 0: unchanged). */
  public static SriovNetworkNodePolicy policy(
      String namespace,
      String name,
      int priority,
      Map<String, String> nodeSelector,
      SriovNetworkNicSelector nics,
      int numVfs,
      String deviceType,
      String resource) {
    SriovNetworkNodePolicy p = new SriovNetworkNodePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    p.setSpec(
        new SriovNetworkNodePolicySpec(
            resource,
            nodeSelector,
            priority,
            0,
            numVfs,
            nics,
            deviceType,
            false,
            false,
            "",
            "",
            "",
            false,
            false,
            null));
    return p;
  }
}
