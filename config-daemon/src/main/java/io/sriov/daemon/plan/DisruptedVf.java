package io.sriov.daemon.plan;

import io.sriov.core.value.PciAddress;
import java.util.Objects;

/**
 * A VF that exists now and that applying the plan takes away from whoever holds it: destroyed (the
 * PF's VF count or eswitch mode changes, which writes {@code 0} to {@code sriov_numvfs} first; a
 * reset), re-bound to another driver, or re-configured (VF MTU, admin MAC). A pod holding it loses
 * its interface, so the cluster side drains such pods first.
 *
 * @param pf the VF's PF
 * @param vf the VF index on its PF
 * @param address the VF's PCI address, the device ID kubelet reports for the pod holding it
 * @param step the step that disrupts it, as {@link Step#describe()} says
 */
public record DisruptedVf(PciAddress pf, int vf, PciAddress address, String step) {
  public DisruptedVf {
    Objects.requireNonNull(pf, "pf");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(step, "step");
  }
}
