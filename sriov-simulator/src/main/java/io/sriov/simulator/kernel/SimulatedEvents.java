package io.sriov.simulator.kernel;

import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.LinkEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the SIMULATED kernel broadcasts: rtnetlink link messages (netdev added, removed, carrier
 * changed) to the {@link SimulatedLinkMonitor}s and PCI kobject uevents (add, remove, bind, unbind)
 * to the {@link SimulatedDeviceEventMonitor}s. Published under the kernel's lock, so monitors see
 * the kernel's order.
 */
final class SimulatedEvents {
  private final Path sys;
  private final List<SimulatedLinkMonitor> links = new CopyOnWriteArrayList<>();
  private final List<SimulatedDeviceEventMonitor> devices = new CopyOnWriteArrayList<>();

  /**
   * @param sys the simulated {@code /sys}, to turn device directories into uevent devpaths
   */
  SimulatedEvents(Path sys) {
    this.sys = sys.toAbsolutePath().normalize();
  }

  void add(SimulatedLinkMonitor m) {
    links.add(m);
  }

  void remove(SimulatedLinkMonitor m) {
    links.remove(m);
  }

  void add(SimulatedDeviceEventMonitor m) {
    devices.add(m);
  }

  void remove(SimulatedDeviceEventMonitor m) {
    devices.remove(m);
  }

  /** A link message, as the simulated rtnetlink reports it for the host namespace. */
  void link(LinkEvent e) {
    for (SimulatedLinkMonitor m : links) {
      m.publish(e);
    }
  }

  /** The kobject uevent the kernel broadcasts for {@code d} (DRIVER= while bound). */
  void uevent(DeviceEvent.Action action, SimulatedFunction d) {
    if (devices.isEmpty()) {
      return;
    }
    Path dir = d.dir.toAbsolutePath().normalize();
    String devpath = dir.startsWith(sys) ? "/" + sys.relativize(dir) : dir.toString();
    DeviceEvent e =
        new DeviceEvent(
            action, "pci", devpath, Optional.of(d.address), Optional.ofNullable(d.driver));
    for (SimulatedDeviceEventMonitor m : devices) {
      m.publish(e);
    }
  }
}
