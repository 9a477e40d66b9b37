package io.sriov.cni.sriov;

/**
 * A netconf value the plugin refuses (CNI error 7, invalid configuration); the message names the
 * field and the value, in upstream sriov-cni's words where upstream has them.
 */
public final class InvalidNetConfException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidNetConfException(String message) {
    super(message);
  }
}
