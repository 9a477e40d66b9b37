package io.sriov.daemon.ownership;

import io.sriov.core.value.PciAddress;
import io.sriov.netlink.devlink.EswitchMode;
import java.util.Objects;
import java.util.Optional;

/**
 * A PF this daemon configured, with what it found before its first change: the values a reset
 * restores when the PF leaves the desired state (upstream restores the initial MTU and eswitch mode
 * and sets numVfs 0).
 *
 * @param originalMtu the PF netdev's MTU before the daemon's first change; 0 when it had no netdev
 * @param originalEswitchMode empty when the PF's driver has no devlink eswitch
 */
public record OwnedPf(
    PciAddress pciAddress, int originalMtu, Optional<EswitchMode> originalEswitchMode) {
  public OwnedPf {
    Objects.requireNonNull(pciAddress, "pciAddress");
    Objects.requireNonNull(originalEswitchMode, "originalEswitchMode");
    if (originalMtu < 0) {
      throw new IllegalArgumentException("originalMtu must not be negative: " + originalMtu);
    }
  }
}
