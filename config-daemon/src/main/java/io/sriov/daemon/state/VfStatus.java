package io.sriov.daemon.state;

import java.util.Objects;

/**
 * One {@code Vfs[]} entry of a status interface (upstream's {@code VirtualFunction}).
 *
 * @param assigned set by upstream's virtual platforms only; empty here
 * @param vlan {@code Vlan} (capital V, as upstream spells the JSON name)
 * @param vfID {@code vfID}: the VF index; always written, even 0
 */
public record VfStatus(
    String name,
    String mac,
    String assigned,
    String driver,
    String pciAddress,
    String vendor,
    String deviceID,
    int vlan,
    int mtu,
    int vfID,
    String vdpaType,
    String representorName,
    String guid) {

  public VfStatus {
    Objects.requireNonNull(pciAddress, "pciAddress");
  }
}
