package io.sriov.cluster.nad;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sriov.cluster.api.OVSNetwork;
import io.sriov.cluster.api.OVSNetworkSpec;
import io.sriov.cluster.api.SriovIBNetwork;
import io.sriov.cluster.api.SriovIBNetworkSpec;
import io.sriov.cluster.api.SriovNetwork;
import io.sriov.cluster.api.SriovNetworkSpec;
import io.sriov.cluster.api.TrunkConfig;
import java.util.List;

/** Network objects for the NAD tests. */
final class Networks {
  private Networks() {}

  static SriovNetwork sriov(String ns, String name, SriovNetworkSpec spec) {
    SriovNetwork n = new SriovNetwork();
    n.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    n.setSpec(spec);
    return n;
  }

  static SriovIBNetwork ib(String ns, String name, SriovIBNetworkSpec spec) {
    SriovIBNetwork n = new SriovIBNetwork();
    n.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    n.setSpec(spec);
    return n;
  }

  static OVSNetwork ovs(String ns, String name, OVSNetworkSpec spec) {
    OVSNetwork n = new OVSNetwork();
    n.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    n.setSpec(spec);
    return n;
  }

  /** Only the target namespace and resource name set, as in upstream's "simple" cases. */
  static SriovNetworkSpec sriovSpec(String networkNamespace, String resourceName) {
    return new SriovNetworkSpec(
        networkNamespace, resourceName, "", "", 0, 0, "", "", "", "", null, null, "", "", "");
  }

  static SriovNetworkSpec withMeta(SriovNetworkSpec s, String metaPlugins) {
    return new SriovNetworkSpec(
        s.networkNamespace(),
        s.resourceName(),
        s.capabilities(),
        s.ipam(),
        s.vlan(),
        s.vlanQoS(),
        s.vlanProto(),
        s.spoofChk(),
        s.trust(),
        s.linkState(),
        s.minTxRate(),
        s.maxTxRate(),
        metaPlugins,
        s.logLevel(),
        s.logFile());
  }

  static OVSNetworkSpec ovsSpec(
      String networkNamespace,
      String resourceName,
      String capabilities,
      String ipam,
      String metaPlugins,
      String bridge,
      int vlan,
      int mtu,
      List<TrunkConfig> trunk,
      String interfaceType) {
    return new OVSNetworkSpec(
        networkNamespace,
        resourceName,
        capabilities,
        ipam,
        metaPlugins,
        bridge,
        vlan,
        mtu,
        trunk,
        interfaceType);
  }

  /** upstream's helper_test.go metaPlugins value (a Go raw string indented with tabs). */
  static final String VRF_BLUE =
      "\n\t\t\t\t\t{\n\t\t\t\t\t\t\"type\": \"vrf\",\n\t\t\t\t\t\t\"vrfname\": \"blue\"\n\t\t\t\t\t}\n\t\t\t\t\t";
}
