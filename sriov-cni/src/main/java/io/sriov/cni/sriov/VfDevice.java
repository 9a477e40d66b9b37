package io.sriov.cni.sriov;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import java.util.Objects;
import java.util.Optional;

/**
 * A VF as the plugin finds it in sysfs from {@code deviceID}.
 *
 * @param address the VF's PCI address
 * @param pf its PF's PCI address ({@code <vf>/physfn})
 * @param pfName the PF's netdev ({@code <pf>/net/}), where every VF attribute is set
 * @param index the VF index on the PF ({@code <pf>/virtfnN} pointing at the VF)
 * @param netdev the VF's netdev in the host namespace ({@code <vf>/net/}); empty when it is bound
 *     to a userspace driver, or when it has already left the host namespace
 * @param driver the bound driver ({@code <vf>/driver}), empty when unbound
 */
public record VfDevice(
    PciAddress address,
    PciAddress pf,
    InterfaceName pfName,
    VfIndex index,
    Optional<InterfaceName> netdev,
    Optional<DriverName> driver) {

  public VfDevice {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(pf, "pf");
    Objects.requireNonNull(pfName, "pfName");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(netdev, "netdev");
    Objects.requireNonNull(driver, "driver");
  }

  /**
   * DPDK mode as upstream decides it: no netdev and a userspace driver ({@code vfio-pci}, {@code
   * uio_pci_generic}, {@code igb_uio}); configured on the PF only, never moved.
   */
  public boolean dpdk() {
    return netdev.isEmpty() && driver.map(d -> DPDK_DRIVERS.contains(d.value())).orElse(false);
  }

  static final java.util.Set<String> DPDK_DRIVERS =
      java.util.Set.of("vfio-pci", "uio_pci_generic", "igb_uio");
}
