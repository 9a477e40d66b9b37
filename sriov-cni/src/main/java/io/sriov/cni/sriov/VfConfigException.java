package io.sriov.cni.sriov;

/**
 * A step of plumbing a VF failed (a PF-side attribute refused or not taking effect, a move, a
 * rename): the message names the VF, the step and the kernel's answer.
 */
public final class VfConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VfConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  public VfConfigException(String message) {
    super(message);
  }
}
