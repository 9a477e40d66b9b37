package io.sriov.cluster.render;

import java.util.Objects;

/**
 * A policy left out of this node's rendering, and why (upstream's webhook message).
 *
 * @param policy the policy's name
 * @param message what is wrong
 */
public record PolicyProblem(String policy, String message) {
  public PolicyProblem {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(message, "message");
  }

  /** {@code policy <name>: <message>}, as events and {@code lastSyncError} show it. */
  public String render() {
    return "policy " + policy + ": " + message;
  }
}
