package io.sriov.deviceplugin.config;

/**
 * The configuration cannot be used: malformed, empty, a duplicate resource, an invalid field. The
 * message is the precise problem, meant for the log line and the exit message.
 */
public final class PlanException extends RuntimeException {
  public PlanException(String message) {
    super(message);
  }

  public PlanException(String message, Throwable cause) {
    super(message, cause);
  }
}
