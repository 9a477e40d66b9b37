package io.sriov.core.port;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import java.util.Objects;

/**
 * A netdev's state as reported by the kernel (RTM_NEWLINK / RTM_DELLINK), or a snapshot of it.
 *
 * @param carrier IFLA_CARRIER ({@code /sys/class/net/<if>/carrier})
 * @param netnsMove the event is a move between network namespaces ({@code ip link set <if> netns
 *     <ns>}), not a device created or destroyed: a {@code REMOVED} link left for another namespace
 *     (the kernel's RTM_DELLINK carries IFLA_NEW_NETNSID), a {@code PRESENT} one came back after
 *     the monitor saw it leave that way. False when the monitor cannot tell.
 */
public record LinkEvent(
    Kind kind,
    int ifIndex,
    InterfaceName name,
    OperState operState,
    boolean carrier,
    boolean netnsMove) {

  public enum Kind {
    /** The link exists (first seen, or in a snapshot). */
    PRESENT,
    /** The link's state changed. */
    CHANGED,
    /** The link was deleted or left the namespace. */
    REMOVED
  }

  public LinkEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(operState, "operState");
    if (netnsMove && kind == Kind.CHANGED) {
      throw new IllegalArgumentException("a CHANGED link event is no namespace move: " + name);
    }
  }

  /** An event that is not a namespace move (or not known to be one). */
  public LinkEvent(
      Kind kind, int ifIndex, InterfaceName name, OperState operState, boolean carrier) {
    this(kind, ifIndex, name, operState, carrier, false);
  }
}
