package io.sriov.core.cli;

/** A flag the user got wrong; the message names it and says why. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
