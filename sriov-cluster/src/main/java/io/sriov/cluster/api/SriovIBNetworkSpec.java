package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code spec} of a {@link SriovIBNetwork} (every upstream field).
 *
 * @param networkNamespace the NAD's namespace; empty = the network's own
 * @param resourceName the device-plugin pool (required)
 * @param capabilities JSON, e.g. {@code {"infinibandGUID": true}}
 * @param ipam JSON IPAM configuration
 * @param linkState {@code auto}/{@code enable}/{@code disable}
 * @param metaPlugins JSON of meta plugins chained after ib-sriov
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SriovIBNetworkSpec(
    String networkNamespace,
    @JsonInclude(JsonInclude.Include.ALWAYS) String resourceName,
    String capabilities,
    String ipam,
    String linkState,
    String metaPlugins) {

  public SriovIBNetworkSpec {
    networkNamespace = GoZero.string(networkNamespace);
    resourceName = GoZero.string(resourceName);
    capabilities = GoZero.string(capabilities);
    ipam = GoZero.string(ipam);
    linkState = GoZero.string(linkState);
    metaPlugins = GoZero.string(metaPlugins);
  }
}
