package io.sriov.sysfs.pci;

import io.sriov.os.Errno;
import io.sriov.os.Libc;
import io.sriov.os.SyscallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads sysfs through directory descriptors: a device directory is opened once and its attributes
 * are opened relative to it ({@code openat}), so each open resolves one or two path components
 * instead of the whole {@code /sys/bus/pci/devices/<a>} path and its link; directories are listed
 * with {@code getdents64} (no {@code fstat} as {@code opendir} does). Not thread-safe: one per walk
 * thread (it owns the native buffers).
 */
final class NativeSysfsReader extends SysfsReader {
  private static final int ENOENT = Errno.ENOENT.number();
  private static final int ENOTDIR = Errno.ENOTDIR.number();
  private static final int EINVAL = Errno.EINVAL.number();

  /** Large enough for any attribute (one page, up to 64 KiB pages) and many directory entries. */
  private static final int DATA_SIZE = 64 * 1024;

  private static final int NAME_SIZE = 4096;

  private final Libc sys;
  private final ByteBuffer data =
      ByteBuffer.allocateDirect(DATA_SIZE).order(ByteOrder.nativeOrder());
  private final ByteBuffer name = ByteBuffer.allocateDirect(NAME_SIZE);
  private final long dataAddress;
  private final long nameAddress;
  private final byte[] bytes = new byte[DATA_SIZE];

  NativeSysfsReader(Libc sys) {
    this.sys = sys;
    this.dataAddress = sys.address(data);
    this.nameAddress = sys.address(name);
  }

  @Override
  SysfsDir open(Path dir) throws IOException {
    return openDir(Libc.AT_FDCWD, dir.toString(), dir);
  }

  /** Opens {@code relative} under {@code dirfd}; null when absent or not a directory. */
  private SysfsDir openDir(int dirfd, String relative, Path path) throws IOException {
    int fd = sys.tryOpenat(dirfd, encode(relative), Libc.O_RDONLY | sys.oDirectory());
    if (fd < 0) {
      int errno = -fd;
      if (errno == ENOENT || errno == ENOTDIR) {
        return null;
      }
      throw failure(path, "open", errno, null);
    }
    return new Dir(fd, path);
  }

  private Set<String> list(int fd, boolean rewind, Path path) throws IOException {
    Set<String> names = new HashSet<>();
    while (true) {
      long n;
      try {
        if (rewind) {
          sys.rewind(fd, "rewind", path);
          rewind = false;
        }
        n = sys.getdents64(fd, dataAddress, DATA_SIZE, "list", path);
      } catch (SyscallException e) {
        throw failure(path, "list", e.errno().number(), e);
      }
      if (n == 0) {
        return names;
      }
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      int off = 0;
      while (off < n) {
        int reclen = Short.toUnsignedInt(data.getShort(off + 16));
        if (reclen < 20 || off + reclen > n) {
          throw new IOException("cannot list " + path + ": malformed entry from getdents64");
        }
        int start = off + 19;
        int end = start;
        int limit = off + reclen;
        while (end < limit && data.get(end) != 0) {
          end++;
        }
        int len = end - start;
        data.get(start, bytes, 0, len);
        boolean dot = len == 1 && bytes[0] == '.';
        boolean dotDot = len == 2 && bytes[0] == '.' && bytes[1] == '.';
        if (!dot && !dotDot) {
          names.add(new String(bytes, 0, len, StandardCharsets.UTF_8));
        }
        off += reclen;
      }
    }
  }

  /** The attribute's text; null when absent and {@code absentIsNull}. */
  private String read(int dirfd, String relative, Path dir, boolean absentIsNull)
      throws IOException {
    int fd = sys.tryOpenat(dirfd, encode(relative), Libc.O_RDONLY);
    if (fd < 0) {
      if (-fd == ENOENT && absentIsNull) {
        return null;
      }
      throw failure(dir.resolve(relative), "open", -fd, null);
    }
    long n;
    try {
      n = sys.read(fd, dataAddress, DATA_SIZE, "read", relative);
    } catch (SyscallException e) {
      throw failure(dir.resolve(relative), "read", e.errno().number(), e);
    } finally {
      sys.closeQuietly(fd);
    }
    if (n >= DATA_SIZE) {
      throw new IOException(
          "attribute larger than " + DATA_SIZE + " bytes: " + dir.resolve(relative));
    }
    int len = (int) n;
    data.get(0, bytes, 0, len);
    return new String(bytes, 0, trimmedLength(bytes, len), StandardCharsets.ISO_8859_1);
  }

  /** The link's target; null when absent and {@code absentIsNull}. */
  private Path readLink(int dirfd, String relative, Path dir, boolean absentIsNull)
      throws IOException {
    long n = sys.tryReadlinkat(dirfd, encode(relative), dataAddress, DATA_SIZE);
    if (n < 0) {
      int errno = (int) -n;
      if (errno == ENOENT && absentIsNull) {
        return null;
      }
      if (errno == EINVAL) {
        throw new NotLinkException(dir.resolve(relative).toString());
      }
      throw failure(dir.resolve(relative), "readlink", errno, null);
    }
    if (n >= DATA_SIZE) {
      throw new IOException("link target too long: " + dir.resolve(relative));
    }
    data.get(0, bytes, 0, (int) n);
    return Path.of(new String(bytes, 0, (int) n, StandardCharsets.UTF_8));
  }

  /** Writes the NUL-terminated name into the name buffer; returns its address. */
  private long encode(String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length >= NAME_SIZE || s.indexOf('\0') >= 0) {
      throw new IOException("unusable path name: " + AttributeReader.shorten(s));
    }
    name.put(0, b);
    name.put(b.length, (byte) 0);
    return nameAddress;
  }

  /**
   * The exception the JDK would throw for this errno, so both readers fail alike: ENOENT as {@link
   * NoSuchFileException}, any other errno as a {@link FileSystemException} with its strerror text.
   */
  /**
   * The NIO exception a caller of {@link java.nio.file.Files} would get, its reason naming the call
   * and the errno ({@code read: EIO (Input/output error)}), the syscall's exception as cause.
   */
  private static IOException failure(
      Path file, String operation, int errno, SyscallException cause) {
    IOException e =
        errno == ENOENT
            ? new NoSuchFileException(file.toString())
            : new FileSystemException(
                file.toString(), null, operation + ": " + Errno.of(errno).describe());
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private final class Dir implements SysfsDir {
    private final Path path;
    private int fd;
    private boolean listed;

    Dir(int fd, Path path) {
      this.fd = fd;
      this.path = path;
    }

    private int fd() throws IOException {
      if (fd < 0) {
        throw new IOException("directory already closed: " + path);
      }
      return fd;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public Set<String> list() throws IOException {
      Set<String> names = NativeSysfsReader.this.list(fd(), listed, path);
      listed = true;
      return names;
    }

    @Override
    public String read(String name) throws IOException {
      return NativeSysfsReader.this.read(fd(), name, path, false);
    }

    @Override
    public String readIfPresent(String name) throws IOException {
      return NativeSysfsReader.this.read(fd(), name, path, true);
    }

    @Override
    public Path readLink(String name) throws IOException {
      return NativeSysfsReader.this.readLink(fd(), name, path, false);
    }

    @Override
    public Path readLinkIfPresent(String name) throws IOException {
      return NativeSysfsReader.this.readLink(fd(), name, path, true);
    }

    @Override
    public SysfsDir open(String name) throws IOException {
      return openDir(fd(), name, path.resolve(name));
    }

    @Override
    public void close() {
      if (fd >= 0) {
        sys.closeQuietly(fd);
        fd = -1;
      }
    }
  }
}
