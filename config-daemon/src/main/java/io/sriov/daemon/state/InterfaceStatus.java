package io.sriov.daemon.state;

import java.util.List;
import java.util.Objects;

/**
 * One {@code status.interfaces[]} entry (upstream's {@code InterfaceExt}): a PF as discovered.
 * Strings empty and numbers 0 when unknown, as upstream leaves them.
 *
 * @param linkSpeed e.g. {@code "25000 Mb/s"}, as upstream formats it
 * @param linkType {@code ETH} or {@code IB}, as upstream reports it
 * @param linkAdminState {@code up} or {@code down}
 * @param totalvfs {@code totalvfs} (lower-case, as upstream spells the JSON name)
 * @param vfs {@code Vfs} (capital V, as upstream spells the JSON name)
 */
public record InterfaceStatus(
    String name,
    String mac,
    String driver,
    String pciAddress,
    String vendor,
    String deviceID,
    String netFilter,
    int mtu,
    int numVfs,
    String linkSpeed,
    String linkType,
    String linkAdminState,
    String eSwitchMode,
    boolean externallyManaged,
    int totalvfs,
    List<VfStatus> vfs,
    List<String> altNames) {

  public InterfaceStatus {
    Objects.requireNonNull(pciAddress, "pciAddress");
    vfs = List.copyOf(vfs);
    altNames = List.copyOf(altNames);
  }
}
