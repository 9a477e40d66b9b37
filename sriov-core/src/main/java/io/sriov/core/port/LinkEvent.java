package io.sriov.core.port;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import java.util.Objects;

/**
 * A netdev's state as reported by the kernel (RTM_NEWLINK / RTM_DELLINK), or a snapshot of it.
 *
 * @param carrier IFLA_CARRIER ({@code /sys/class/net/<if>/carrier})
 */
public record LinkEvent(
    Kind kind, int ifIndex, InterfaceName name, OperState operState, boolean carrier) {

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
  }
}
