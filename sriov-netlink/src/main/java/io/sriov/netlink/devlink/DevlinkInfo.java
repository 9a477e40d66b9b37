package io.sriov.netlink.devlink;

import java.util.Map;
import java.util.Optional;

/**
 * {@code devlink dev info pci/X}: driver, serial number and the fixed / running / stored version
 * name-value pairs (e.g. running {@code fw.app.name} = the loaded DDP package on ice).
 */
public record DevlinkInfo(
    DevlinkHandle handle,
    Optional<String> driver,
    Optional<String> serialNumber,
    Map<String, String> fixed,
    Map<String, String> running,
    Map<String, String> stored) {

  /** The running DDP profile name ({@code fw.app.name}), as the device plugin's ddpProfiles use. */
  public Optional<String> ddpProfile() {
    return Optional.ofNullable(running.get("fw.app.name"));
  }
}
