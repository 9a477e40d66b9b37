package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code bridge.ovs.bridge} of a policy (and of a node state's {@code bridges.ovs[]}): options of
 * OVSDB's Bridge table.
 *
 * @param failMode {@code secure} or {@code standalone}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record OvsBridgeConfig(
    String datapathType,
    @JsonProperty("externalIDs") Map<String, String> externalIDs,
    Map<String, String> otherConfig,
    String failMode) {

  public OvsBridgeConfig {
    datapathType = GoZero.string(datapathType);
    externalIDs = GoZero.map(externalIDs);
    otherConfig = GoZero.map(otherConfig);
    failMode = GoZero.string(failMode);
  }
}
