package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code spec.ovsHardwareOffloadConfig} of a {@link SriovNetworkPoolConfig}.
 *
 * @param name the OVS hardware-offload configuration's name (Kubernetes)
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record OvsHardwareOffloadConfig(String name) {
  public OvsHardwareOffloadConfig {
    name = GoZero.string(name);
  }
}
