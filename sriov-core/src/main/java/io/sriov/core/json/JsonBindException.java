package io.sriov.core.json;

import java.util.Objects;

/**
 * A JSON value does not fit what the reader expects. The message starts with the value's path, then
 * says what is wrong: {@code resourceList[2].selectors.vendors[0]: expected a string, got a
 * number}. Callers that know where the document came from turn it into their own exception with
 * {@link #path()} and {@link #problem()}.
 */
public final class JsonBindException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  public JsonBindException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The path of the offending value; empty for the document itself. */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
