package io.sriov.netlink.socket;

import io.sriov.netlink.ErrnoException;
import java.nio.ByteBuffer;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The only class that touches jnr-ffi: the libc calls this module needs (netlink sockets, network
 * namespaces, the bind mounts of named namespaces, poll/eventfd to wake a blocked monitor).
 * Pointers are raw addresses of direct {@link ByteBuffer}s ({@link #address}). Functions with six
 * arguments are avoided (sendto/recvfrom): jnr-ffi 2.2.17 passed a garbage sixth argument on this
 * machine (seen with strace), so send(2) and recvmsg(2) are used instead. Every call returns the
 * result or throws {@link ErrnoException} carrying errno and the operation.
 *
 * <p>libc is loaded once, lazily, on first use ({@link #get}); {@link #availability} tells why it
 * cannot be loaded (not Linux, no jffi stub for the platform) without throwing, so the pure-Java
 * codec classes load and run anywhere.
 */
final class NativeLinux {

  /** The libc functions, with C signatures in comments. */
  public interface LibC {
    // int socket(int domain, int type, int protocol);
    @SaveError
    int socket(int domain, int type, int protocol);

    // int bind(int fd, const struct sockaddr *addr, socklen_t len);
    @SaveError
    int bind(int fd, long addr, int len);

    // int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
    @SaveError
    int getsockname(int fd, long addr, long lenPtr);

    // int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
    @SaveError
    int setsockopt(int fd, int level, int name, long val, int len);

    // ssize_t send(int fd, const void *buf, size_t len, int flags);
    // (an unconnected netlink socket sends to the kernel, nl_pid 0)
    @SaveError
    @ssize_t
    long send(int fd, long buf, @size_t long len, int flags);

    // ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
    @SaveError
    @ssize_t
    long recvmsg(int fd, long msg, int flags);

    // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
    @SaveError
    int poll(long fds, @size_t long nfds, int timeoutMs);

    // int eventfd(unsigned int initval, int flags);
    @SaveError
    int eventfd(int initval, int flags);

    // ssize_t write(int fd, const void *buf, size_t count);
    @SaveError
    @ssize_t
    long write(int fd, long buf, @size_t long count);

    // ssize_t read(int fd, void *buf, size_t count);
    @SaveError
    @ssize_t
    long read(int fd, long buf, @size_t long count);

    // int open(const char *path, int flags, mode_t mode);
    @SaveError
    int open(String path, int flags, int mode);

    // int close(int fd);
    @SaveError
    int close(int fd);

    // int setns(int fd, int nstype);
    @SaveError
    int setns(int fd, int nstype);

    // int unshare(int flags);
    @SaveError
    int unshare(int flags);

    // int mount(const char *src, const char *target, const char *fstype, unsigned long flags,
    //           const void *data);
    @SaveError
    int mount(String source, String target, String fsType, long flags, long data);

    // int umount2(const char *target, int flags);
    @SaveError
    int umount2(String target, int flags);

    // pid_t getpid(void);
    @IgnoreError
    int getpid();
  }

  // <sys/socket.h>, <linux/netlink.h>, <fcntl.h>, <sched.h>, <sys/mount.h>, <poll.h>
  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUFFORCE = 33;
  static final int MSG_PEEK = 0x2;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;
  static final long MS_BIND = 4096;
  static final long MS_REC = 16384;
  static final long MS_SHARED = 1 << 20;
  static final int MNT_DETACH = 2;
  static final short POLLIN = 0x1;
  static final int EFD_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = 0x800;

  private final LibC libc;
  private final Runtime runtime;

  private NativeLinux(LibC libc) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
  }

  /** Lazily loaded on first use (initialisation-on-demand holder: no mutable static state). */
  private static final class Holder {
    static final NativeLinux INSTANCE;
    static final String FAILURE;

    static {
      NativeLinux loaded = null;
      String failure = null;
      String os = System.getProperty("os.name", "");
      if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
        failure = "netlink needs Linux, running on " + os;
      } else {
        try {
          LibC libc =
              LibraryLoader.create(LibC.class)
                  .option(LibraryOption.LoadNow, true)
                  .failImmediately()
                  .load("c");
          loaded = new NativeLinux(libc);
          loaded.libc.getpid();
        } catch (LinkageError | RuntimeException e) {
          loaded = null;
          failure = "cannot load libc through jnr-ffi: " + e;
        }
      }
      INSTANCE = loaded;
      FAILURE = failure;
    }
  }

  /** Empty when libc is usable, otherwise why not. Never throws. */
  static Optional<String> availability() {
    return Optional.ofNullable(Holder.FAILURE);
  }

  /** The loaded binding; throws {@link UnsupportedOperationException} with the probe's reason. */
  static NativeLinux get() {
    NativeLinux n = Holder.INSTANCE;
    if (n == null) {
      throw new UnsupportedOperationException(Holder.FAILURE);
    }
    return n;
  }

  /** The native address of a direct buffer's first byte (ignores position). */
  long address(ByteBuffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("not a direct buffer");
    }
    return Pointer.wrap(runtime, direct).address();
  }

  private int errno() {
    return runtime.getLastError();
  }

  private int check(int rc, String op) throws ErrnoException {
    if (rc < 0) {
      throw new ErrnoException(op, errno());
    }
    return rc;
  }

  private long check(long rc, String op) throws ErrnoException {
    if (rc < 0) {
      throw new ErrnoException(op, errno());
    }
    return rc;
  }

  int socket(int domain, int type, int protocol, String op) throws ErrnoException {
    return check(libc.socket(domain, type, protocol), op);
  }

  void bind(int fd, long addr, int len, String op) throws ErrnoException {
    check(libc.bind(fd, addr, len), op);
  }

  void getsockname(int fd, long addr, long lenPtr, String op) throws ErrnoException {
    check(libc.getsockname(fd, addr, lenPtr), op);
  }

  void setsockopt(int fd, int level, int name, long val, int len, String op) throws ErrnoException {
    check(libc.setsockopt(fd, level, name, val, len), op);
  }

  /**
   * Like send(2), retrying EINTR. The operation is named {@code verb + " " + what}, built only on
   * failure (the hot path allocates nothing).
   */
  long send(int fd, long buf, long len, int flags, String verb, String what) throws ErrnoException {
    while (true) {
      long rc = libc.send(fd, buf, len, flags);
      if (rc >= 0) {
        return rc;
      }
      int e = errno();
      if (e != io.sriov.netlink.Errno.EINTR) {
        throw new ErrnoException(verb + " " + what, e);
      }
    }
  }

  /** Like recvmsg(2), retrying EINTR; the operation is built as for {@link #send}. */
  long recvmsg(int fd, long msghdr, int flags, String verb, String what) throws ErrnoException {
    while (true) {
      long rc = libc.recvmsg(fd, msghdr, flags);
      if (rc >= 0) {
        return rc;
      }
      int e = errno();
      if (e != io.sriov.netlink.Errno.EINTR) {
        throw new ErrnoException(verb + " " + what, e);
      }
    }
  }

  /** Like poll(2); EINTR reads as a timeout (0). */
  int poll(long fds, long nfds, int timeoutMs, String op) throws ErrnoException {
    int rc = libc.poll(fds, nfds, timeoutMs);
    if (rc < 0) {
      int e = errno();
      if (e == io.sriov.netlink.Errno.EINTR) {
        return 0;
      }
      throw new ErrnoException(op, e);
    }
    return rc;
  }

  int eventfd(int flags, String op) throws ErrnoException {
    return check(libc.eventfd(0, flags), op);
  }

  long write(int fd, long buf, long count, String op) throws ErrnoException {
    return check(libc.write(fd, buf, count), op);
  }

  long read(int fd, long buf, long count, String op) throws ErrnoException {
    return check(libc.read(fd, buf, count), op);
  }

  int open(String path, int flags, String op) throws ErrnoException {
    return check(libc.open(path, flags, 0), op);
  }

  void close(int fd, String op) throws ErrnoException {
    check(libc.close(fd), op);
  }

  void setns(int fd, int nstype, String op) throws ErrnoException {
    check(libc.setns(fd, nstype), op);
  }

  void unshare(int flags, String op) throws ErrnoException {
    check(libc.unshare(flags), op);
  }

  void mount(String source, String target, String fsType, long flags, String op)
      throws ErrnoException {
    check(libc.mount(source, target, fsType, flags, 0L), op);
  }

  void umount2(String target, int flags, String op) throws ErrnoException {
    check(libc.umount2(target, flags), op);
  }

  int getpid() {
    return libc.getpid();
  }
}
