package io.sriov.cni.sriov;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfVlan;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A VF's state before ADD touched it (upstream's {@code OrigVfState}): what the PF reports for it,
 * and its netdev's name, MAC and MTU for a kernel VF. DEL and every rollback put it back.
 *
 * @param adminMac IFLA_VF_MAC (all zero when none was set)
 * @param vlan IFLA_VF_VLAN_LIST's first entry (vlan 0 = untagged)
 * @param spoofCheck empty when the driver does not report it
 * @param trust empty when the driver does not report it
 * @param hostName the netdev's name in the host namespace (kernel VF)
 * @param effectiveMac the netdev's MAC (kernel VF)
 * @param mtu the netdev's MTU (kernel VF)
 */
public record VfSnapshot(
    MacAddress adminMac,
    VfVlan vlan,
    int minTxRateMbps,
    int maxTxRateMbps,
    Optional<Boolean> spoofCheck,
    Optional<Boolean> trust,
    VfLinkState linkState,
    Optional<InterfaceName> hostName,
    Optional<MacAddress> effectiveMac,
    OptionalInt mtu) {

  public VfSnapshot {
    Objects.requireNonNull(adminMac, "adminMac");
    Objects.requireNonNull(vlan, "vlan");
    Objects.requireNonNull(spoofCheck, "spoofCheck");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(linkState, "linkState");
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(effectiveMac, "effectiveMac");
    Objects.requireNonNull(mtu, "mtu");
  }
}
