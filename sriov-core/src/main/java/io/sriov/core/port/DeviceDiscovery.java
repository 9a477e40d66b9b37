package io.sriov.core.port;

import io.sriov.core.device.Device;
import io.sriov.core.value.PciAddress;
import java.util.List;

/**
 * Finds the node's devices. Implemented by sriov-sysfs over {@code /sys/bus/pci/devices} and {@code
 * /sys/bus/auxiliary/devices} (the shell equivalent is {@code lspci -D -nn} plus {@code ls -l
 * /sys/bus/pci/devices/<a>/}).
 */
public interface DeviceDiscovery {

  /** Walks the whole node. Never throws for a single odd device: it lands in {@link Skipped}. */
  Result discoverAll();

  /**
   * Re-reads one PF and its VFs (and their aux devices) without walking the whole bus, e.g. after
   * {@code sriov_numvfs} changed.
   */
  Result discoverPf(PciAddress pf);

  /**
   * {@link #discoverPf(PciAddress)} right after the caller changed the PF's VF count and verified
   * the new VFs: {@code vfs} are the PF's VFs by index, each one's {@code virtfnN} link and its
   * {@code physfn} link back to the PF read by the caller (sriov-sysfs's provisioner does when it
   * waits for new VFs). An implementation may take those links as read instead of reading them
   * again, as long as the PF still has {@code vfs.size()} VFs; this default reads them again.
   */
  default Result discoverPf(PciAddress pf, List<PciAddress> vfs) {
    return discoverPf(pf);
  }

  /**
   * This discovery with its walks taking the netdevs' facts from {@code netdevs} (one read of the
   * kernel, made by the caller just before the walk) instead of reading each netdev's files: a
   * netdev the snapshot has costs only its name. The view is for the walks the caller makes right
   * after that read; take a new snapshot for a later walk. This default ignores it ({@code this}).
   */
  default DeviceDiscovery withNetdevs(NetdevSnapshot netdevs) {
    return this;
  }

  /** Discovered devices, and those that could not be read with the reason. */
  record Result(List<Device> devices, List<Skipped> skipped) {
    public Result {
      devices = List.copyOf(devices);
      skipped = List.copyOf(skipped);
    }
  }

  /** A device that was present but could not be read (missing file, dangling link, race). */
  record Skipped(String id, String reason) {}
}
