package io.sriov.daemon.desired;

import java.util.List;

/**
 * The desired state cannot be applied to this node; nothing was touched. {@link #errors()} lists
 * every problem, each naming the interface, the field and the value.
 */
public final class InvalidNodeStateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public InvalidNodeStateException(List<String> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
  }

  private static String format(List<String> errors) {
    if (errors.size() == 1) {
      return "invalid SriovNetworkNodeState: " + errors.get(0);
    }
    StringBuilder b =
        new StringBuilder("invalid SriovNetworkNodeState (")
            .append(errors.size())
            .append(" errors):");
    for (String e : errors) {
      b.append("\n  ").append(e);
    }
    return b.toString();
  }

  public List<String> errors() {
    return errors;
  }
}
