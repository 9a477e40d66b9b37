package io.sriov.core.device;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import java.util.Objects;
import java.util.Optional;

/** Where a PCI function stands in SR-IOV. */
public sealed interface SriovRole {

  /** A function with an SR-IOV capability ({@code sriov_totalvfs} exists). */
  record PhysicalFunction(int totalVfs, int numVfs) implements SriovRole {
    public PhysicalFunction {
      if (totalVfs < 0 || numVfs < 0 || numVfs > totalVfs) {
        throw new IllegalArgumentException(
            "invalid SR-IOV counts: numVfs=" + numVfs + " totalVfs=" + totalVfs);
      }
    }
  }

  /**
   * A VF: it has a {@code physfn} link, and is {@code virtfn<index>} of that PF.
   *
   * @param pfName the PF's netdev name, when the PF has one
   */
  record VirtualFunction(PciAddress pf, VfIndex index, Optional<InterfaceName> pfName)
      implements SriovRole {
    public VirtualFunction {
      Objects.requireNonNull(pf, "pf");
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(pfName, "pfName");
    }
  }

  /** A function without SR-IOV. */
  record None() implements SriovRole {}

  SriovRole NONE = new None();
}
