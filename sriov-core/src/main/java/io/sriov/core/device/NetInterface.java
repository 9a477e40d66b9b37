package io.sriov.core.device;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A kernel netdev as read from {@code /sys/class/net/<name>}.
 *
 * @param carrier {@code carrier} is 1; false when down or unreadable
 * @param speedMbps {@code speed}; empty when unknown (-1) or unreadable
 */
public record NetInterface(
    InterfaceName name,
    List<String> altNames,
    Optional<MacAddress> mac,
    int mtu,
    LinkType linkType,
    OperState operState,
    boolean carrier,
    OptionalInt speedMbps,
    Optional<String> physPortName,
    Optional<String> physSwitchId) {

  public NetInterface {
    Objects.requireNonNull(name, "name");
    altNames = List.copyOf(altNames);
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(linkType, "linkType");
    Objects.requireNonNull(operState, "operState");
    Objects.requireNonNull(speedMbps, "speedMbps");
    Objects.requireNonNull(physPortName, "physPortName");
    Objects.requireNonNull(physSwitchId, "physSwitchId");
  }

  /** This netdev with {@code altNames} ({@code ip link property add dev X altname Y}) instead. */
  public NetInterface withAltNames(List<String> altNames) {
    return new NetInterface(
        name,
        altNames,
        mac,
        mtu,
        linkType,
        operState,
        carrier,
        speedMbps,
        physPortName,
        physSwitchId);
  }

  /** This netdev with {@code mtu} instead ({@code ip link set X mtu N}). */
  public NetInterface withMtu(int mtu) {
    return new NetInterface(
        name,
        altNames,
        mac,
        mtu,
        linkType,
        operState,
        carrier,
        speedMbps,
        physPortName,
        physSwitchId);
  }

  /** A minimal Ethernet netdev, for tests and simulations. */
  public static NetInterface ether(InterfaceName name, MacAddress mac, int mtu, boolean carrier) {
    return new NetInterface(
        name,
        List.of(),
        Optional.of(mac),
        mtu,
        LinkType.ETHER,
        carrier ? OperState.UP : OperState.DOWN,
        carrier,
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
