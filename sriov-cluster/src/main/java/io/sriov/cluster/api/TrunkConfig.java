package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One {@code spec.trunk[]} entry of an {@link OVSNetwork}: a VLAN ({@code id}) or a range ({@code
 * minID}-{@code maxID}), each 0-4095, {@code null} when absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrunkConfig(
    @JsonProperty("minID") Integer minID,
    @JsonProperty("maxID") Integer maxID,
    @JsonProperty("id") Integer id) {}
