package io.sriov.daemon.state;

import java.util.List;
import java.util.Objects;

/**
 * One {@code spec.interfaces[]} entry: a PF and what it should look like. Raw values as written in
 * the object (Go zero values when absent); {@code io.sriov.daemon.desired.NodeStateValidator}
 * checks them against the node.
 *
 * @param pciAddress {@code pciAddress} of the PF (required)
 * @param numVfs {@code numVfs}
 * @param mtu {@code mtu}: PF MTU (raised only); 0 = leave as is
 * @param name {@code name}: the PF's netdev name, informational
 * @param linkType {@code linkType}: {@code eth}/{@code ETH}/{@code ib}/{@code IB}, empty = any
 * @param eSwitchMode {@code eSwitchMode}: {@code legacy}/{@code switchdev}, empty = leave as is
 * @param vfGroups {@code vfGroups[]}
 * @param externallyManaged {@code externallyManaged}: the VFs are created by someone else; the
 *     daemon verifies them and never creates, removes or resets
 */
public record InterfaceSpec(
    String pciAddress,
    int numVfs,
    int mtu,
    String name,
    String linkType,
    String eSwitchMode,
    List<VfGroupSpec> vfGroups,
    boolean externallyManaged) {

  public InterfaceSpec {
    Objects.requireNonNull(pciAddress, "pciAddress");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(linkType, "linkType");
    Objects.requireNonNull(eSwitchMode, "eSwitchMode");
    vfGroups = List.copyOf(vfGroups);
  }
}
