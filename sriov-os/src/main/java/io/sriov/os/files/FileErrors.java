package io.sriov.os.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The OS cause of a failed file operation, for messages that kubelet and the log show: Java's
 * {@code AccessDeniedException} and friends carry only the path in their message, the cause is in
 * their class.
 */
public final class FileErrors {
  private FileErrors() {}

  /** {@code permission denied: /var/run/cdi/x.yaml}, {@code /a: Read-only file system}. */
  public static String describe(IOException e) {
    String cause =
        switch (e) {
          case AccessDeniedException x -> "permission denied";
          case NoSuchFileException x -> "no such file or directory";
          case FileAlreadyExistsException x -> "file exists";
          case NotDirectoryException x -> "not a directory";
          case DirectoryNotEmptyException x -> "directory not empty";
          default -> null;
        };
    if (cause != null && e instanceof FileSystemException f) {
      return cause + ": " + f.getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
