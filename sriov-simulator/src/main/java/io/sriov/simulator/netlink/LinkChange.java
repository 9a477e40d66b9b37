package io.sriov.simulator.netlink;

import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.route.Link;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One change the simulated kernel made to a link, as the RTM_NEWLINK / RTM_DELLINK it would
 * broadcast in {@code namespace}: a link added to (created in, moved into) the namespace, changed
 * there, or removed from it (deleted, moved out). A move is a REMOVED in the old namespace followed
 * by an ADDED in the new one, as the kernel reports it.
 *
 * @param before the link before a CHANGED or REMOVED; empty for ADDED
 * @param after the link after an ADDED or CHANGED; for REMOVED its last state
 * @param device the PCI function of a hardware netdev (so sysfs can follow renames and moves)
 * @param netnsMove a REMOVED or ADDED that is one half of a move between namespaces
 */
public record LinkChange(
    Kind kind,
    Path namespace,
    Optional<Link> before,
    Link after,
    Optional<PciAddress> device,
    boolean netnsMove) {

  public enum Kind {
    ADDED,
    CHANGED,
    REMOVED
  }

  public LinkChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(device, "device");
    if (netnsMove && kind == Kind.CHANGED) {
      throw new IllegalArgumentException("SIMULATION: a CHANGED link is no namespace move");
    }
  }

  /** A change that is no namespace move. */
  public LinkChange(
      Kind kind, Path namespace, Optional<Link> before, Link after, Optional<PciAddress> device) {
    this(kind, namespace, before, after, device, false);
  }

  /**
   * The event {@code NetlinkLinkMonitor} would deliver for this change: PRESENT for ADDED, REMOVED
   * for REMOVED (both marked as a namespace move when they are one), CHANGED only when the name,
   * oper state or carrier changed (the kernel's other RTM_NEWLINK notifications, MTU, MAC, master,
   * are filtered out there too).
   */
  public Optional<LinkEvent> linkEvent() {
    return switch (kind) {
      case ADDED -> Optional.of(event(LinkEvent.Kind.PRESENT));
      case REMOVED -> Optional.of(event(LinkEvent.Kind.REMOVED));
      case CHANGED -> {
        Link b = before.orElseThrow();
        boolean relevant =
            !b.name().equals(after.name())
                || b.operState() != after.operState()
                || b.carrier() != after.carrier();
        yield relevant ? Optional.of(event(LinkEvent.Kind.CHANGED)) : Optional.empty();
      }
    };
  }

  private LinkEvent event(LinkEvent.Kind k) {
    return new LinkEvent(
        k, after.index(), after.name(), after.operState(), after.carrier(), netnsMove);
  }
}
