package io.sriov.cni.sriov;

/** Another ADD or DEL of the same VF held its lock for the whole wait (CNI error 11). */
public final class VfLockTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VfLockTimeoutException(String message) {
    super(message);
  }
}
