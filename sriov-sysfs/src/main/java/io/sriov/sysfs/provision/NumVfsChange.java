package io.sriov.sysfs.provision;

import io.sriov.core.value.PciAddress;

/** What {@link SriovProvisioner#setNumVfs} did: the VF count before and after. */
public record NumVfsChange(PciAddress pf, int before, int after) {
  public boolean changed() {
    return before != after;
  }
}
