package io.sriov.deviceplugin.health;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.InterfaceName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Link-derived health: a device is unhealthy while the netdev it depends on (its PF's for VFs and
 * SFs, its own for a PF or plain NIC) has no carrier or is gone. A link never seen counts as
 * healthy: no information is not a failure. Fed by {@link io.sriov.core.port.LinkMonitor}.
 */
public final class LinkHealth {
  private record Link(boolean present, boolean carrier) {}

  private final Map<String, Link> links = new ConcurrentHashMap<>();

  /** Loads the monitor's snapshot. */
  public void reset(List<LinkEvent> snapshot) {
    links.clear();
    snapshot.forEach(this::apply);
  }

  /**
   * Applies one event.
   *
   * @return true when the link's health-relevant state changed
   */
  public boolean apply(LinkEvent e) {
    Link next =
        e.kind() == LinkEvent.Kind.REMOVED ? new Link(false, false) : new Link(true, e.carrier());
    Link prev = links.put(e.name().value(), next);
    return !next.equals(prev);
  }

  /** The netdev whose carrier decides this device's health, if any. */
  public static Optional<InterfaceName> upstreamLink(Device d) {
    if (d instanceof PciNetDevice n) {
      return n.isVf() ? n.pfName() : n.netdev().map(NetInterface::name);
    }
    if (d instanceof AuxNetDevice a) {
      return a.pfName();
    }
    return Optional.empty();
  }

  public boolean healthy(Device d) {
    return upstreamLink(d)
        .map(n -> links.get(n.value()))
        .map(l -> l.present && l.carrier)
        .orElse(true);
  }

  /** True when {@code linkName} is a link some device's health depends on. */
  public static boolean relevant(Device d, String linkName) {
    return upstreamLink(d).map(n -> n.value().equals(linkName)).orElse(false);
  }
}
