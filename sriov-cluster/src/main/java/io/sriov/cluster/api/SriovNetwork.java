package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code SriovNetwork}: an Ethernet SR-IOV network, rendered into a NetworkAttachmentDefinition for
 * the sriov CNI.
 */
@Group(SriovApi.GROUP)
@Version(SriovApi.VERSION)
@Kind("SriovNetwork")
@Plural("sriovnetworks")
public final class SriovNetwork extends CustomResource<SriovNetworkSpec, NetworkStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
