package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code SriovIBNetwork}: an InfiniBand SR-IOV network, rendered into a NetworkAttachmentDefinition
 * for the ib-sriov CNI.
 */
@Group(SriovApi.GROUP)
@Version(SriovApi.VERSION)
@Kind("SriovIBNetwork")
@Plural("sriovibnetworks")
public final class SriovIBNetwork extends CustomResource<SriovIBNetworkSpec, NetworkStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
