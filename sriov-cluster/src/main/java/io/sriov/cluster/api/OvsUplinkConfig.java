package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code bridge.ovs.uplink} of a policy: the PF's settings in the OVS bridge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OvsUplinkConfig(@JsonProperty("interface") OvsInterfaceConfig interfaceConfig) {}
