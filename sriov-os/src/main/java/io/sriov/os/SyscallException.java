package io.sriov.os;

import java.io.IOException;
import java.util.Objects;

/**
 * A system call failed. Carries the errno the call saved (never one read back from a message) and
 * the operation, which names what was attempted on what: {@code open /sys/bus/pci/drivers/igb/bind:
 * ENOENT (No such file or directory)}. An {@link IOException}, so file code that already speaks
 * {@code IOException} passes it on unchanged; {@link Errno#of(IOException)} gives the errno back.
 */
public final class SyscallException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final Errno errno;

  public SyscallException(String operation, Errno errno) {
    super(Objects.requireNonNull(operation, "operation") + ": " + errno.describe());
    this.operation = operation;
    this.errno = errno;
  }

  /** What was attempted, e.g. {@code open /sys/bus/pci/drivers/igb/bind}. */
  public String operation() {
    return operation;
  }

  public Errno errno() {
    return errno;
  }
}
