package io.sriov.sysfs.provision;

import io.sriov.core.value.PciAddress;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SriovProvisioner#setNumVfs} did: the VF count before and after, and the VFs after, by
 * index (each one's {@code virtfnN} link and its {@code physfn} link back to the PF verified).
 */
public record NumVfsChange(PciAddress pf, int before, int after, List<PciAddress> vfs) {
  public NumVfsChange {
    Objects.requireNonNull(pf, "pf");
    vfs = List.copyOf(vfs);
    if (vfs.size() != after) {
      throw new IllegalArgumentException(after + " VFs but " + vfs.size() + " addresses");
    }
  }

  public boolean changed() {
    return before != after;
  }
}
