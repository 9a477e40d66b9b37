package io.sriov.sysfs.pci;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The discovery walk's file access: one open + read per attribute into a reused buffer (a sysfs
 * attribute is at most one page), and directory listings. Not thread-safe: one per walk.
 */
final class SysfsReader {
  private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ);
  private final ByteBuffer buf = ByteBuffer.allocate(8192);
  private final byte[] bytes = buf.array();

  /** The attribute's text without trailing whitespace; NoSuchFileException when missing. */
  String read(Path file) throws IOException {
    buf.clear();
    try (FileChannel ch = FileChannel.open(file, READ)) {
      // sysfs answers with the whole attribute (at most a page) in one read; a short read of a
      // small regular file is its end too. Only a full buffer needs another read.
      int n = ch.read(buf);
      if (n > 0 && !buf.hasRemaining()) {
        throw new IOException("attribute larger than " + buf.capacity() + " bytes: " + file);
      }
    }
    int end = buf.position();
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == ' ')) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
  }

  /**
   * Entry names of a directory; null when it does not exist. Uses {@link File#list()}: one
   * opendir/readdir/closedir, no exception for an absent directory and fewer syscalls than a {@code
   * DirectoryStream}.
   */
  Set<String> entries(Path dir) throws IOException {
    String[] names = dir.toFile().list();
    if (names == null) {
      if (Files.isDirectory(dir)) {
        throw new IOException("cannot list " + dir);
      }
      return null; // absent or not a directory
    }
    return new HashSet<>(Arrays.asList(names));
  }

  /** The directory, listed; null when it does not exist (dangling link, removed meanwhile). */
  DeviceDir dir(Path dir) throws SkipException {
    try {
      Set<String> e = entries(dir);
      return e == null ? null : new DeviceDir(this, dir, e);
    } catch (IOException e) {
      throw new SkipException("directory unreadable (" + e.getMessage() + ")");
    }
  }
}
