package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code spec.bridge} of a policy (switchdev only): the software bridge the PF is attached to.
 *
 * @param ovs the OVS bridge, {@code null} when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Bridge(OvsConfig ovs) {}
