package io.sriov.core.port;

import io.sriov.core.device.NetInterface;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's netdevs as ONE read of the kernel described them (rtnetlink's RTM_GETLINK dump, {@code
 * ip -d link show}), taken by a discovery walk before it reads the devices ({@link
 * DeviceDiscovery#withNetdevs}): each netdev's MTU, hardware type, address, oper state, carrier and
 * altnames, and the device it belongs to where the read said so. A walk that finds a netdev here
 * needs only its name from sysfs; one it does not find (it appeared after the read, or the read
 * could not describe it exactly) is read from its files. Immutable.
 */
public final class NetdevSnapshot {
  /**
   * One netdev.
   *
   * @param netdev the netdev as sysfs would describe it (speed and port attributes empty: not in
   *     the read)
   * @param device the name of the device it hangs under (the PCI address {@code 0000:af:06.0}, a
   *     {@code virtioN}, an auxiliary device), when the read said so (IFLA_PARENT_DEV_NAME, kernel
   *     5.17+)
   */
  public record Entry(NetInterface netdev, Optional<String> device) {
    public Entry {
      Objects.requireNonNull(netdev, "netdev");
      Objects.requireNonNull(device, "device");
    }
  }

  private final Map<String, Entry> byName;

  public NetdevSnapshot(List<Entry> entries) {
    Map<String, Entry> m = HashMap.newHashMap(entries.size());
    for (Entry e : entries) {
      m.put(e.netdev().name().value(), e);
    }
    this.byName = Map.copyOf(m);
  }

  /**
   * The netdev {@code name} of the device {@code device} (its directory's name) as the read
   * described it; empty when the read did not have that name, or had it on another device (renamed
   * meanwhile): the caller then reads the netdev's files.
   */
  public Optional<NetInterface> netdev(String name, String device) {
    Entry e = byName.get(name);
    if (e == null || (e.device().isPresent() && !e.device().get().equals(device))) {
      return Optional.empty();
    }
    return Optional.of(e.netdev());
  }

  /** How many netdevs the read described. */
  public int size() {
    return byName.size();
  }

  @Override
  public String toString() {
    return "NetdevSnapshot[" + byName.size() + " netdevs]";
  }
}
