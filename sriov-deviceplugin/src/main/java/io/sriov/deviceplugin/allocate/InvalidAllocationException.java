package io.sriov.deviceplugin.allocate;

/** Kubelet asked for device IDs the pool cannot hand out; the message names the offending ID. */
public final class InvalidAllocationException extends RuntimeException {
  public InvalidAllocationException(String message) {
    super(message);
  }
}
