package io.sriov.cluster.render;

/**
 * A policy upstream's admission webhook would have rejected; the message is the webhook's. The
 * daemon leaves the policy out of its node's rendering and reports the message on the node state,
 * naming the policy.
 */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }
}
