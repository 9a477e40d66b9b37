package io.sriov.node;

/** The node cannot be opened as asked (its message says why, in the caller's terms of the root). */
public final class NodeOpenException extends RuntimeException {
  public NodeOpenException(String message) {
    super(message);
  }
}
