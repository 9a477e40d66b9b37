package io.sriov.sysfs.pci;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The portable reader: every attribute opened by its full path with NIO, directories listed with
 * {@link File#list()}. Used where libc cannot be bound through jnr-ffi, or on request ({@code
 * -Dsriov.sysfs.reader=nio}).
 */
final class NioSysfsReader extends SysfsReader {
  private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ);
  private final ByteBuffer buf = ByteBuffer.allocate(8192);
  private final byte[] bytes = buf.array();

  @Override
  SysfsDir open(Path dir) {
    return Files.isDirectory(dir) ? new Dir(dir) : null;
  }

  private String read(Path file) throws IOException {
    buf.clear();
    try (FileChannel ch = FileChannel.open(file, READ)) {
      // sysfs answers with the whole attribute (at most a page) in one read; a short read of a
      // small regular file is its end too. Only a full buffer needs another read.
      int n;
      try {
        n = ch.read(buf);
      } catch (IOException e) {
        // The JDK's read errors ("Is a directory", "Invalid argument") do not name the file.
        throw new FileSystemException(file.toString(), null, e.getMessage());
      }
      if (n > 0 && !buf.hasRemaining()) {
        throw new IOException("attribute larger than " + buf.capacity() + " bytes: " + file);
      }
    }
    return new String(bytes, 0, trimmedLength(bytes, buf.position()), StandardCharsets.ISO_8859_1);
  }

  private final class Dir implements SysfsDir {
    private final Path path;

    Dir(Path path) {
      this.path = path;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public Set<String> list() throws IOException {
      String[] names = path.toFile().list();
      if (names == null) {
        throw new IOException("cannot list " + path);
      }
      return new HashSet<>(Arrays.asList(names));
    }

    @Override
    public String read(String name) throws IOException {
      return NioSysfsReader.this.read(path.resolve(name));
    }

    @Override
    public String readIfPresent(String name) throws IOException {
      try {
        return read(name);
      } catch (NoSuchFileException e) {
        return null;
      }
    }

    @Override
    public Path readLinkIfPresent(String name) throws IOException {
      try {
        return readLink(name);
      } catch (NoSuchFileException e) {
        return null;
      }
    }

    @Override
    public Path readLink(String name) throws IOException {
      return Files.readSymbolicLink(path.resolve(name));
    }

    @Override
    public SysfsDir open(String name) {
      return NioSysfsReader.this.open(path.resolve(name));
    }

    @Override
    public void close() {}
  }
}
