package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/**
 * {@code spec} of a {@link SriovNetworkNodePolicy} (upstream's {@code SriovNetworkNodePolicySpec},
 * every field). Absent fields are Go's zero values; the CRD's defaults ({@code deviceType:
 * netdevice}) are applied by the API server, and an empty {@code deviceType} means {@code
 * netdevice} here too.
 *
 * @param resourceName device-plugin pool name (required)
 * @param nodeSelector every key/value must equal a label of the node (required)
 * @param priority 0 (highest) to 99: policies apply from 99 down to 0, so lower numbers win
 * @param mtu PF MTU (raised only) and netdevice VF MTU; 0 = unset
 * @param numVfs VFs per selected PF (required)
 * @param nicSelector which PFs (required)
 * @param deviceType {@code netdevice} or {@code vfio-pci}
 * @param linkType {@code eth}/{@code ETH}/{@code ib}/{@code IB}
 * @param eSwitchMode {@code legacy} or {@code switchdev}
 * @param vdpaType {@code virtio} or {@code vhost}
 * @param bridge managed software bridge (switchdev), {@code null} when none
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SriovNetworkNodePolicySpec(
    @JsonInclude(JsonInclude.Include.ALWAYS) String resourceName,
    @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> nodeSelector,
    int priority,
    int mtu,
    @JsonInclude(JsonInclude.Include.ALWAYS) int numVfs,
    @JsonInclude(JsonInclude.Include.ALWAYS) SriovNetworkNicSelector nicSelector,
    String deviceType,
    @JsonProperty("isRdma") boolean isRdma,
    boolean needVhostNet,
    String linkType,
    @JsonProperty("eSwitchMode") String eSwitchMode,
    String vdpaType,
    boolean excludeTopology,
    boolean externallyManaged,
    @JsonInclude(JsonInclude.Include.NON_NULL) Bridge bridge) {

  public SriovNetworkNodePolicySpec {
    resourceName = GoZero.string(resourceName);
    nodeSelector = GoZero.map(nodeSelector);
    nicSelector =
        Objects.requireNonNullElseGet(
            nicSelector, () -> new SriovNetworkNicSelector(null, null, null, null, null));
    deviceType = GoZero.string(deviceType);
    linkType = GoZero.string(linkType);
    eSwitchMode = GoZero.string(eSwitchMode);
    vdpaType = GoZero.string(vdpaType);
  }
}
