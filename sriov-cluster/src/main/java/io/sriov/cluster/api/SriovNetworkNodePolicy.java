package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code SriovNetworkNodePolicy}: which PFs of which nodes get how many VFs of which kind, as one
 * device-plugin pool (upstream's policy, rendered per node here by the daemons). The policy named
 * {@code default} is ignored.
 */
@Group(SriovApi.GROUP)
@Version(SriovApi.VERSION)
@Kind("SriovNetworkNodePolicy")
@Plural("sriovnetworknodepolicies")
public final class SriovNetworkNodePolicy
    extends CustomResource<SriovNetworkNodePolicySpec, EmptyStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;

  /** Upstream's operator ignores the policy of this name when rendering; so do the daemons. */
  public static final String IGNORED_NAME = "default";
}
