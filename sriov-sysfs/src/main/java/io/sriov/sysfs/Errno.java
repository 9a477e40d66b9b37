package io.sriov.sysfs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * The Linux errno values a sysfs read or write can end with, numbered and described as glibc's
 * {@code strerror} describes them (which is also the text the JDK puts in its {@link IOException}
 * messages). {@link #UNKNOWN} keeps anything else.
 */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  EIO(5, "Input/output error"),
  ENXIO(6, "No such device or address"),
  EAGAIN(11, "Resource temporarily unavailable"),
  ENOMEM(12, "Cannot allocate memory"),
  EACCES(13, "Permission denied"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  ENODEV(19, "No such device"),
  ENOTDIR(20, "Not a directory"),
  EISDIR(21, "Is a directory"),
  EINVAL(22, "Invalid argument"),
  ENOSPC(28, "No space left on device"),
  EROFS(30, "Read-only file system"),
  ERANGE(34, "Numerical result out of range"),
  ENOSYS(38, "Function not implemented"),
  EOPNOTSUPP(95, "Operation not supported"),
  ETIMEDOUT(110, "Connection timed out"),
  UNKNOWN(-1, "Unknown error");

  private final int number;
  private final String description;

  Errno(int number, String description) {
    this.number = number;
    this.description = description;
  }

  public int number() {
    return number;
  }

  /** glibc's {@code strerror} text. */
  public String description() {
    return description;
  }

  /**
   * The errno behind a JDK I/O exception: {@link NoSuchFileException} is ENOENT, {@link
   * AccessDeniedException} EACCES; otherwise the strerror text in the message or reason.
   */
  public static Errno of(IOException e) {
    if (e instanceof NoSuchFileException) {
      return ENOENT;
    }
    if (e instanceof AccessDeniedException) {
      return EACCES;
    }
    String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
    if (text == null && e instanceof FileSystemException) {
      text = e.getMessage();
    }
    return fromText(text);
  }

  /** The errno with this number; UNKNOWN when it is not one of the listed ones. */
  public static Errno ofNumber(int number) {
    for (Errno e : values()) {
      if (e.number == number) {
        return e;
      }
    }
    return UNKNOWN;
  }

  /** Finds the errno whose strerror text (or name) the message contains; UNKNOWN otherwise. */
  public static Errno fromText(String text) {
    if (text == null) {
      return UNKNOWN;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (Errno e : values()) {
      if (e != UNKNOWN && lower.contains(e.description.toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    for (Errno e : values()) {
      if (e != UNKNOWN && text.contains(e.name())) {
        return e;
      }
    }
    return UNKNOWN;
  }

  /** {@code EBUSY (Device or resource busy)}. */
  public String describe() {
    return name() + " (" + description + ")";
  }
}
