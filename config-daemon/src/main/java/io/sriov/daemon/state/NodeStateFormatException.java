package io.sriov.daemon.state;

/**
 * A {@code SriovNetworkNodeState} document is not well formed: not YAML/JSON, wrong {@code
 * apiVersion}/{@code kind}, a field of the wrong type or an unknown field. The message names the
 * field by its path ({@code spec.interfaces[0].numVfs}) and quotes the value.
 */
public final class NodeStateFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NodeStateFormatException(String message) {
    super(message);
  }

  public NodeStateFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
