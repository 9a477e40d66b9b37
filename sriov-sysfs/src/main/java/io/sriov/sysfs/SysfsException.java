package io.sriov.sysfs;

import io.sriov.os.Errno;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A sysfs operation the kernel (or the timeout guarding it) refused. Carries the errno, the file
 * and the operation; the message reads like {@code write sriov_numvfs=8 for 0000:af:00.1: EBUSY
 * (Device or resource busy)}, optionally followed by {@code : <detail>}.
 */
public final class SysfsException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final Errno errno;
  private final String operation;
  private final String subject;
  private final String detail;

  /**
   * @param operation what was attempted ({@code write sriov_numvfs=8}, {@code bind vfio-pci})
   * @param subject what it was attempted on ({@code 0000:af:00.1}); empty when the operation
   *     already names it
   * @param file the sysfs file involved
   * @param errno the kernel's answer
   * @param detail extra explanation, or null
   */
  public SysfsException(
      String operation, String subject, Path file, Errno errno, String detail, Throwable cause) {
    super(format(operation, subject, errno, detail), cause);
    this.operation = Objects.requireNonNull(operation, "operation");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.file = Objects.requireNonNull(file, "file");
    this.errno = Objects.requireNonNull(errno, "errno");
    this.detail = detail;
  }

  public SysfsException(String operation, String subject, Path file, Errno errno, String detail) {
    this(operation, subject, file, errno, detail, null);
  }

  private static String format(String operation, String subject, Errno errno, String detail) {
    return operation
        + (subject.isEmpty() ? "" : " for " + subject)
        + ": "
        + errno.describe()
        + (detail == null || detail.isEmpty() ? "" : ": " + detail);
  }

  public Errno errno() {
    return errno;
  }

  public Path file() {
    return file;
  }

  public String operation() {
    return operation;
  }

  public String subject() {
    return subject;
  }

  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /**
   * The same failure re-told with a higher-level operation and subject, keeping errno, file and
   * detail; {@code extraDetail} (may be null) is appended to the detail.
   */
  public SysfsException reframe(String newOperation, String newSubject, String extraDetail) {
    String d;
    if (detail == null || detail.isEmpty()) {
      d = extraDetail;
    } else if (extraDetail == null || extraDetail.isEmpty()) {
      d = detail;
    } else {
      d = detail + "; " + extraDetail;
    }
    return new SysfsException(newOperation, newSubject, file, errno, d, this);
  }
}
