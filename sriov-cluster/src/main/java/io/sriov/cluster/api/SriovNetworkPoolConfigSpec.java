package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * {@code spec} of a {@link SriovNetworkPoolConfig} (every upstream field).
 *
 * @param ovsHardwareOffloadConfig {@code null} when absent
 * @param nodeSelector the pool's nodes; {@code null} selects none
 * @param maxUnavailable an integer or {@code "N%"}; {@code null} = no limit
 * @param rdmaMode {@code shared} or {@code exclusive}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SriovNetworkPoolConfigSpec(
    @JsonInclude(JsonInclude.Include.NON_NULL) OvsHardwareOffloadConfig ovsHardwareOffloadConfig,
    @JsonInclude(JsonInclude.Include.NON_NULL) LabelSelector nodeSelector,
    @JsonInclude(JsonInclude.Include.NON_NULL) IntOrString maxUnavailable,
    String rdmaMode) {

  public SriovNetworkPoolConfigSpec {
    rdmaMode = GoZero.string(rdmaMode);
  }
}
