package io.sriov.cni.sriov;

/**
 * ADD of a VF that another pod, whose namespace still exists, holds (upstream: {@code pci address X
 * is already allocated}); that pod's DEL frees it, so the runtime should try again later (CNI error
 * 11).
 */
public final class VfAllocatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VfAllocatedException(String message) {
    super(message);
  }
}
