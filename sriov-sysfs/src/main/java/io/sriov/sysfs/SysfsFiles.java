package io.sriov.sysfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small, allocation-light reads of sysfs attributes, links and directories. Stateless. */
public final class SysfsFiles {
  private SysfsFiles() {}

  /** The attribute's text without trailing whitespace; empty when the file does not exist. */
  public static Optional<String> read(Path file) throws IOException {
    try {
      return Optional.of(readRaw(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The attribute's text without trailing whitespace (NoSuchFileException when missing). */
  public static String readRaw(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    int end = b.length;
    while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == ' ' || b[end - 1] == '\t')) {
      end--;
    }
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }

  /** The target of a symbolic link as stored; empty when there is no such link. */
  public static Optional<Path> readLink(Path link) throws IOException {
    try {
      return Optional.of(Files.readSymbolicLink(link));
    } catch (NoSuchFileException | NotLinkException e) {
      return Optional.empty();
    }
  }

  /**
   * Entry names of a directory, unsorted, in a new modifiable list; empty when it does not exist or
   * is not a directory.
   */
  public static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        names.add(p.getFileName().toString());
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return new ArrayList<>();
    }
    return names;
  }
}
