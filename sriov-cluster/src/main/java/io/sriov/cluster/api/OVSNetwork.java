package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code OVSNetwork}: a network on a managed OVS bridge (switchdev VFs), rendered into a
 * NetworkAttachmentDefinition for the ovs CNI.
 */
@Group(SriovApi.GROUP)
@Version(SriovApi.VERSION)
@Kind("OVSNetwork")
@Plural("ovsnetworks")
public final class OVSNetwork extends CustomResource<OVSNetworkSpec, NetworkStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
