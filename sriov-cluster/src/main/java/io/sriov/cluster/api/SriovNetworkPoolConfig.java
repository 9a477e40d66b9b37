package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code SriovNetworkPoolConfig}: a group of nodes (label selector) with its drain budget ({@code
 * maxUnavailable}) and RDMA mode. A node belongs to at most one pool; nodes in none form the
 * default pool (maxUnavailable 1).
 */
@Group(SriovApi.GROUP)
@Version(SriovApi.VERSION)
@Kind("SriovNetworkPoolConfig")
@Plural("sriovnetworkpoolconfigs")
public final class SriovNetworkPoolConfig
    extends CustomResource<SriovNetworkPoolConfigSpec, EmptyStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;
}
