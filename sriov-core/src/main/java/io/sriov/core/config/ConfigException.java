package io.sriov.core.config;

import java.util.Objects;

/**
 * The resource configuration is not usable. The message starts with the path of the offending entry
 * and field, then says what is wrong: {@code resourceList[2].selectors.pfNames[0]: range 7-2 is
 * reversed}. Syntax errors carry the line and column instead of a path: {@code line 4, column 9:
 * malformed JSON: ...}. {@link #source()} names the file or ConfigMap the text came from, for the
 * caller's log line.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String path;
  private final String problem;

  public ConfigException(String source, String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.source = Objects.requireNonNull(source, "source");
    this.path = path;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** Where the text came from (a file path, a ConfigMap key), as given to the parser. */
  public String source() {
    return source;
  }

  /** The JSON path of the offending value ({@code resourceList[2].selectors.pfNames[0]}). */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
