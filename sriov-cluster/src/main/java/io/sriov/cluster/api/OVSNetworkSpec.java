package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code spec} of an {@link OVSNetwork} (every upstream field).
 *
 * @param networkNamespace the NAD's namespace; empty = the network's own
 * @param resourceName the device-plugin pool (required)
 * @param capabilities JSON, e.g. {@code {"mac": true}}
 * @param ipam JSON IPAM configuration
 * @param metaPlugins JSON of meta plugins chained after ovs
 * @param bridge the OVS bridge; empty = chosen by OVS from the VF's PCI address
 * @param vlan 0-4095
 * @param mtu the OVS port's MTU; 0 = unset
 * @param trunk trunk VLANs
 * @param interfaceType the OVS interface type
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record OVSNetworkSpec(
    String networkNamespace,
    @JsonInclude(JsonInclude.Include.ALWAYS) String resourceName,
    String capabilities,
    String ipam,
    String metaPlugins,
    String bridge,
    int vlan,
    int mtu,
    List<TrunkConfig> trunk,
    String interfaceType) {

  public OVSNetworkSpec {
    networkNamespace = GoZero.string(networkNamespace);
    resourceName = GoZero.string(resourceName);
    capabilities = GoZero.string(capabilities);
    ipam = GoZero.string(ipam);
    metaPlugins = GoZero.string(metaPlugins);
    bridge = GoZero.string(bridge);
    trunk = GoZero.list(trunk);
    interfaceType = GoZero.string(interfaceType);
  }
}
