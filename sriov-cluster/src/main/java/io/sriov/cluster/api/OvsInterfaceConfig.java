package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code bridge.ovs.uplink.interface} of a policy: options of OVSDB's Interface table for the PF.
 *
 * @param mtuRequest {@code mtuRequest}, {@code null} when absent (a Go pointer upstream)
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record OvsInterfaceConfig(
    String type,
    Map<String, String> options,
    @JsonProperty("externalIDs") Map<String, String> externalIDs,
    Map<String, String> otherConfig,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer mtuRequest) {

  public OvsInterfaceConfig {
    type = GoZero.string(type);
    options = GoZero.map(options);
    externalIDs = GoZero.map(externalIDs);
    otherConfig = GoZero.map(otherConfig);
  }
}
