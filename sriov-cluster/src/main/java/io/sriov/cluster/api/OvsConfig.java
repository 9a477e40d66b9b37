package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code bridge.ovs} of a policy: the managed OVS bridge {@code br-<pci>} and its uplink. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OvsConfig(OvsBridgeConfig bridge, OvsUplinkConfig uplink) {}
