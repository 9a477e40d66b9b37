package io.sriov.sysfs.pci;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import org.slf4j.LoggerFactory;

/**
 * The only class of this module that touches jnr-ffi: the libc calls of the discovery walk ({@code
 * openat}, {@code read}, {@code readlinkat}, {@code getdents64}, {@code lseek}, {@code close}).
 * Pointers are raw addresses of direct buffers. Calls return the raw result, negative with {@link
 * #errno()} set on failure; {@link NativeSysfsReader} turns that into exceptions.
 *
 * <p>Loaded once, lazily (initialisation-on-demand holder, no mutable static state). {@link
 * #unavailableReason()} says why it cannot be used (not Linux, a CPU whose {@code O_DIRECTORY} is
 * not known here, a libc without {@code getdents64}, no jffi stub) without throwing.
 */
final class NativeFiles {

  /** The libc functions, with C signatures in comments. */
  public interface LibC {
    // int openat(int dirfd, const char *path, int flags, mode_t mode);
    @SaveError
    int openat(int dirfd, long path, int flags, int mode);

    // ssize_t read(int fd, void *buf, size_t count);
    @SaveError
    @ssize_t
    long read(int fd, long buf, @size_t long count);

    // ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size);
    @SaveError
    @ssize_t
    long readlinkat(int dirfd, long path, long buf, @size_t long size);

    // ssize_t getdents64(int fd, void *dirp, size_t count);   (glibc 2.30 and later)
    @SaveError
    @ssize_t
    long getdents64(int fd, long buf, @size_t long count);

    // off_t lseek(int fd, off_t offset, int whence);
    @SaveError
    @off_t
    long lseek(int fd, @off_t long offset, int whence);

    // int close(int fd);
    @SaveError
    int close(int fd);

    // pid_t getpid(void);
    @IgnoreError
    int getpid();
  }

  // <fcntl.h>, <unistd.h>
  static final int AT_FDCWD = -100;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int SEEK_SET = 0;

  private final LibC libc;
  private final Runtime runtime;

  /** {@code O_DIRECTORY}: 0200000 on x86_64 (asm-generic), 040000 on arm64. */
  final int oDirectory;

  private NativeFiles(LibC libc, int oDirectory) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
    this.oDirectory = oDirectory;
  }

  private static final class Holder {
    static final NativeFiles INSTANCE;
    static final String FAILURE;

    static {
      NativeFiles loaded = null;
      String failure = null;
      String os = System.getProperty("os.name", "");
      if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
        failure = "native sysfs reads need Linux, running on " + os;
      } else {
        try {
          Platform.CPU cpu = Platform.getNativePlatform().getCPU();
          int oDirectory =
              switch (cpu) {
                case X86_64 -> 0x10000;
                case AARCH64 -> 0x4000;
                default -> -1;
              };
          if (oDirectory < 0) {
            failure = "native sysfs reads are not set up for CPU " + cpu;
          } else {
            LibC libc =
                LibraryLoader.create(LibC.class)
                    .option(LibraryOption.LoadNow, true)
                    .failImmediately()
                    .load("c");
            libc.getpid();
            loaded = new NativeFiles(libc, oDirectory);
          }
        } catch (LinkageError | RuntimeException e) {
          failure = "cannot bind libc through jnr-ffi: " + e;
        }
      }
      INSTANCE = loaded;
      FAILURE = failure;
      if (failure != null) {
        // Once per JVM: discovery still works, through the NIO reader, at about twice the CPU.
        LoggerFactory.getLogger(NativeFiles.class)
            .warn("native sysfs reads unavailable, discovery uses NIO reason=\"{}\"", failure);
      }
    }
  }

  static boolean available() {
    return Holder.INSTANCE != null;
  }

  static Optional<String> unavailableReason() {
    return Optional.ofNullable(Holder.FAILURE);
  }

  static NativeFiles get() {
    NativeFiles n = Holder.INSTANCE;
    if (n == null) {
      throw new UnsupportedOperationException(Holder.FAILURE);
    }
    return n;
  }

  /** The native address of a direct buffer's first byte. */
  long address(ByteBuffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("not a direct buffer");
    }
    return Pointer.wrap(runtime, direct).address();
  }

  /** errno of the last failed call on this thread. */
  int errno() {
    return runtime.getLastError();
  }

  /** {@code openat} with {@code O_CLOEXEC} added. */
  int openat(int dirfd, long path, int flags) {
    return libc.openat(dirfd, path, flags | O_CLOEXEC, 0);
  }

  long read(int fd, long buf, long count) {
    return libc.read(fd, buf, count);
  }

  long readlinkat(int dirfd, long path, long buf, long size) {
    return libc.readlinkat(dirfd, path, buf, size);
  }

  long getdents64(int fd, long buf, long count) {
    return libc.getdents64(fd, buf, count);
  }

  long rewind(int fd) {
    return libc.lseek(fd, 0, SEEK_SET);
  }

  void close(int fd) {
    libc.close(fd);
  }
}
