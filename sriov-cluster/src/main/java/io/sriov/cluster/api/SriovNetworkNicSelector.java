package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code spec.nicSelector} of a {@link SriovNetworkNodePolicy}: which PFs the policy configures.
 * Every non-empty criterion must match.
 *
 * @param vendor PF vendor ID, hex without {@code 0x} ({@code 8086}, {@code 15b3})
 * @param deviceID PF device ID, hex
 * @param rootDevices PF PCI addresses
 * @param pfNames PF names or altnames, each optionally with a VF range {@code name#first-last}
 * @param netFilter {@code openstack/NetworkID:<uuid>} or {@code aws/NetworkID:<id>} (virtual
 *     platforms only)
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SriovNetworkNicSelector(
    String vendor,
    @JsonProperty("deviceID") String deviceID,
    List<String> rootDevices,
    List<String> pfNames,
    String netFilter) {

  public SriovNetworkNicSelector {
    vendor = GoZero.string(vendor);
    deviceID = GoZero.string(deviceID);
    rootDevices = GoZero.list(rootDevices);
    pfNames = GoZero.list(pfNames);
    netFilter = GoZero.string(netFilter);
  }
}
