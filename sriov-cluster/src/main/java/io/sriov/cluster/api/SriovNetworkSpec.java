package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code spec} of a {@link SriovNetwork} (every upstream field).
 *
 * @param networkNamespace the NAD's namespace; empty = the network's own
 * @param resourceName the device-plugin pool (required)
 * @param capabilities JSON, e.g. {@code {"mac": true}}
 * @param ipam JSON IPAM configuration
 * @param vlan 0-4094
 * @param vlanQoS 0-7
 * @param vlanProto {@code 802.1q}/{@code 802.1Q}/{@code 802.1ad}/{@code 802.1AD}
 * @param spoofChk {@code on}/{@code off}
 * @param trust {@code on}/{@code off}
 * @param linkState {@code auto}/{@code enable}/{@code disable}
 * @param minTxRate Mbps, {@code null} when absent
 * @param maxTxRate Mbps, {@code null} when absent
 * @param metaPlugins JSON of meta plugins chained after sriov (makes the NAD a conflist)
 * @param logLevel {@code panic}/{@code error}/{@code warning}/{@code info}/{@code debug}
 * @param logFile the CNI's log file; empty = stderr
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SriovNetworkSpec(
    String networkNamespace,
    @JsonInclude(JsonInclude.Include.ALWAYS) String resourceName,
    String capabilities,
    String ipam,
    int vlan,
    @JsonProperty("vlanQoS") int vlanQoS,
    String vlanProto,
    String spoofChk,
    String trust,
    String linkState,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer minTxRate,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxTxRate,
    String metaPlugins,
    String logLevel,
    String logFile) {

  public SriovNetworkSpec {
    networkNamespace = GoZero.string(networkNamespace);
    resourceName = GoZero.string(resourceName);
    capabilities = GoZero.string(capabilities);
    ipam = GoZero.string(ipam);
    vlanProto = GoZero.string(vlanProto);
    spoofChk = GoZero.string(spoofChk);
    trust = GoZero.string(trust);
    linkState = GoZero.string(linkState);
    metaPlugins = GoZero.string(metaPlugins);
    logLevel = GoZero.string(logLevel);
    logFile = GoZero.string(logFile);
  }
}
