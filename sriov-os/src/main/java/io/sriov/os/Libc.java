package io.sriov.os;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The project's one libc binding: files through descriptors, netlink sockets, network namespaces
 * and mounts, the process's ids. Every call retries EINTR where the C function can return it
 * spuriously and turns a failure into a {@link SyscallException} carrying the errno the call saved
 * and the operation ({@code "open /sys/..."}); operations are built only on failure where a method
 * takes them in parts, so the hot paths allocate nothing.
 *
 * <p>Some probes return {@code -errno} instead of throwing ({@link #tryOpen}, {@link #tryOpenat},
 * {@link #tryReadlinkat}, {@link #tryUnlinkat}, {@link #tryWrite}): a sysfs walk probes thousands
 * of absent attributes, and an exception for each would cost as much as the reads.
 *
 * <p>Bound once per JVM, lazily, by a probe that never throws: {@link #unavailableReason()} says
 * why there is no binding here (not Linux, a CPU other than x86_64/arm64, no jffi stub), so
 * pure-Java code loads and runs anywhere and callers pick their portable fallback. Pointers are raw
 * addresses of direct buffers ({@link #address}).
 */
public final class Libc {
  // <fcntl.h>, <unistd.h>
  public static final int AT_FDCWD = -100;
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_CREAT = 0x40;
  public static final int O_EXCL = 0x80;
  public static final int O_TRUNC = 0x200;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int F_GETFL = 3;
  public static final int F_SETFL = 4;
  public static final int SEEK_SET = 0;
  // <sys/file.h>
  public static final int LOCK_EX = 2;
  public static final int LOCK_NB = 4;
  // <sys/socket.h>, <linux/netlink.h>
  public static final int AF_NETLINK = 16;
  public static final int SOCK_RAW = 3;
  public static final int SOCK_CLOEXEC = 0x80000;
  public static final int SOL_SOCKET = 1;
  public static final int SO_SNDBUF = 7;
  public static final int SO_RCVBUF = 8;
  public static final int SO_PEERCRED = 17;
  public static final int SO_RCVBUFFORCE = 33;
  public static final int MSG_PEEK = 0x2;
  public static final int MSG_TRUNC = 0x20;
  public static final int MSG_DONTWAIT = 0x40;
  // <poll.h>, <sys/eventfd.h>
  public static final short POLLIN = 0x1;
  public static final short POLLOUT = 0x4;
  public static final short POLLERR = 0x8;
  public static final short POLLHUP = 0x10;
  public static final int EFD_CLOEXEC = 0x80000;
  public static final int EFD_NONBLOCK = 0x800;
  // <sched.h>, <sys/mount.h>
  public static final int CLONE_NEWNET = 0x40000000;
  public static final long MS_BIND = 4096;
  public static final long MS_REC = 16384;
  public static final long MS_SHARED = 1 << 20;
  public static final int MNT_DETACH = 2;
  // <signal.h>, <sys/wait.h>, <spawn.h>
  public static final int SIGKILL = 9;
  public static final int WNOHANG = 1;
  public static final short POSIX_SPAWN_SETSIGMASK = 0x08;

  private final JnrLibc jnr;
  private final JnrLibc.Functions c;
  private final JnrLibc.SpawnFunctions sp;

  private Libc(JnrLibc jnr) {
    this.jnr = jnr;
    this.c = jnr.c;
    this.sp = jnr.spawn;
  }

  /** The one-time probe (initialisation-on-demand holder: immutable once loaded). */
  private static final class Holder {
    static final Libc INSTANCE;
    static final String FAILURE;

    static {
      JnrLibc.Probe p = JnrLibc.probe();
      INSTANCE = p.binding() == null ? null : new Libc(p.binding());
      FAILURE = p.failure();
    }
  }

  /** Empty when libc is bound here; otherwise why not. Never throws. */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(Holder.FAILURE);
  }

  /** The binding, when there is one. */
  public static Optional<Libc> available() {
    return Optional.ofNullable(Holder.INSTANCE);
  }

  /** The binding; {@link UnsupportedOperationException} with the probe's reason when none. */
  public static Libc get() {
    Libc l = Holder.INSTANCE;
    if (l == null) {
      throw new UnsupportedOperationException(Holder.FAILURE);
    }
    return l;
  }

  // ---- memory -------------------------------------------------------------------------------

  /** The native address of a direct buffer's first byte (ignores position). */
  public long address(ByteBuffer direct) {
    return jnr.address(direct);
  }

  // ---- files --------------------------------------------------------------------------------

  /** {@code O_DIRECTORY} of this CPU. */
  public int oDirectory() {
    return jnr.oDirectory;
  }

  /** {@code open(path, flags | O_CLOEXEC)}. */
  public int open(String path, int flags, String op) throws SyscallException {
    while (true) {
      int fd = c.open(path, flags | O_CLOEXEC, 0);
      if (fd >= 0) {
        return fd;
      }
      failUnlessEintr(op);
    }
  }

  /**
   * {@code open(path, flags | O_CLOEXEC)} as a probe: the descriptor, or {@code -errno} (no
   * exception), for a file whose absence is an answer.
   */
  public int tryOpen(String path, int flags) {
    while (true) {
      int fd = c.open(path, flags | O_CLOEXEC, 0);
      if (fd >= 0) {
        return fd;
      }
      int e = jnr.errno();
      if (e != Errno.EINTR.number()) {
        return -e;
      }
    }
  }

  /** {@code O_NOFOLLOW} of this CPU. */
  public int oNofollow() {
    return jnr.oNofollow;
  }

  /**
   * {@code openat(dirfd, path, flags | O_CLOEXEC)} as a probe: the descriptor, or {@code -errno}
   * (no exception). {@code path} is the address of a NUL-terminated name.
   */
  public int tryOpenat(int dirfd, long path, int flags) {
    return tryOpenat(dirfd, path, flags, 0);
  }

  /**
   * {@code openat(dirfd, path, flags | O_CLOEXEC, mode)} as a probe, {@code mode} for {@code
   * O_CREAT} (the umask applies to it, as to every create): the descriptor, or {@code -errno}.
   */
  public int tryOpenat(int dirfd, long path, int flags, int mode) {
    while (true) {
      int fd = c.openat(dirfd, path, flags | O_CLOEXEC, mode);
      if (fd >= 0) {
        return fd;
      }
      int e = jnr.errno();
      if (e != Errno.EINTR.number()) {
        return -e;
      }
    }
  }

  /** {@code readlinkat} as a probe: the target's length in {@code buf}, or {@code -errno}. */
  public long tryReadlinkat(int dirfd, long path, long buf, long size) {
    long n = c.readlinkat(dirfd, path, buf, size);
    return n >= 0 ? n : -jnr.errno();
  }

  /** {@code read(2)}, retrying EINTR; the operation is {@code verb + " " + what}. */
  public long read(int fd, long buf, long count, String verb, Object what) throws SyscallException {
    long n;
    while ((n = c.read(fd, buf, count)) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
    return n;
  }

  /** {@code write(2)}, retrying EINTR; the operation is {@code verb + " " + what}. */
  public long write(int fd, long buf, long count, String verb, Object what)
      throws SyscallException {
    long n;
    while ((n = c.write(fd, buf, count)) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
    return n;
  }

  /** {@code getdents64(2)}: bytes of {@code struct linux_dirent64} entries, 0 at the end. */
  public long getdents64(int fd, long buf, long count, String verb, Object what)
      throws SyscallException {
    long n;
    while ((n = c.getdents64(fd, buf, count)) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
    return n;
  }

  /** {@code lseek(fd, 0, SEEK_SET)}: a directory descriptor lists from the start again. */
  public void rewind(int fd, String verb, Object what) throws SyscallException {
    if (c.lseek(fd, 0, SEEK_SET) < 0) {
      throw failure(verb + " " + what);
    }
  }

  /**
   * {@code write(2)} as a probe: the bytes written, or {@code -errno} (no exception; EINTR
   * retried). For a non-blocking pipe, where EAGAIN (full) and EPIPE (reader gone) are answers.
   */
  public long tryWrite(int fd, long buf, long count) {
    while (true) {
      long n = c.write(fd, buf, count);
      if (n >= 0) {
        return n;
      }
      int e = jnr.errno();
      if (e != Errno.EINTR.number()) {
        return -e;
      }
    }
  }

  /**
   * {@code fchmod(2)}: exactly {@code mode} (no umask); the operation is {@code verb + " " + what}.
   */
  public void fchmod(int fd, int mode, String verb, Object what) throws SyscallException {
    while (c.fchmod(fd, mode) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
  }

  /** {@code fsync(2)}; the operation is {@code verb + " " + what}. */
  public void fsync(int fd, String verb, Object what) throws SyscallException {
    while (c.fsync(fd) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
  }

  /**
   * {@code renameat(2)}: atomic within one file system, replacing {@code newPath} (a symlink there
   * is replaced, not followed); the paths are addresses of NUL-terminated names.
   */
  public void renameat(
      int oldDirfd, long oldPath, int newDirfd, long newPath, String verb, Object what)
      throws SyscallException {
    while (c.renameat(oldDirfd, oldPath, newDirfd, newPath) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
  }

  /** {@code unlinkat(dirfd, path, flags)} as a probe: 0, or {@code -errno}. */
  public int tryUnlinkat(int dirfd, long path, int flags) {
    return c.unlinkat(dirfd, path, flags) == 0 ? 0 : -jnr.errno();
  }

  /** {@code close(2)} (not retried: Linux frees the descriptor even when it fails). */
  public void close(int fd, String op) throws SyscallException {
    if (c.close(fd) < 0) {
      throw failure(op);
    }
  }

  /** As {@link #close(int, String)}, the operation {@code verb + " " + what} built on a failure. */
  public void close(int fd, String verb, Object what) throws SyscallException {
    if (c.close(fd) < 0) {
      throw failure(verb + " " + what);
    }
  }

  /** {@code close(2)}, ignoring a failure (cleanup after another error, or a read-only fd). */
  public void closeQuietly(int fd) {
    c.close(fd);
  }

  /**
   * {@code flock(fd, LOCK_EX | LOCK_NB)}: true when taken, false when another open file description
   * of the file holds it (EWOULDBLOCK). The lock belongs to this descriptor's open file
   * description: another {@code open} of the file conflicts with it, in this process too (unlike
   * {@code fcntl} locks), and it ends when that description is closed (or the process dies), not
   * when any other descriptor of the file closes.
   */
  public boolean tryFlockExclusive(int fd, String op) throws SyscallException {
    while (true) {
      if (c.flock(fd, LOCK_EX | LOCK_NB) == 0) {
        return true;
      }
      int e = jnr.errno();
      if (e == Errno.EAGAIN.number()) {
        return false;
      }
      if (e != Errno.EINTR.number()) {
        throw new SyscallException(op, Errno.of(e));
      }
    }
  }

  // ---- sockets ------------------------------------------------------------------------------

  /** {@code socket(domain, type | SOCK_CLOEXEC, protocol)}. */
  public int socket(int domain, int type, int protocol, String op) throws SyscallException {
    return check(c.socket(domain, type | SOCK_CLOEXEC, protocol), op);
  }

  public void bind(int fd, long addr, int len, String op) throws SyscallException {
    check(c.bind(fd, addr, len), op);
  }

  public void getsockname(int fd, long addr, long lenPtr, String op) throws SyscallException {
    check(c.getsockname(fd, addr, lenPtr), op);
  }

  public void setsockopt(int fd, int level, int name, long val, int len, String op)
      throws SyscallException {
    check(c.setsockopt(fd, level, name, val, len), op);
  }

  /** {@code getsockopt(2)}; {@code lenPtr} points to the {@code socklen_t} in and out. */
  public void getsockopt(int fd, int level, int name, long val, long lenPtr, String op)
      throws SyscallException {
    check(c.getsockopt(fd, level, name, val, lenPtr), op);
  }

  /** {@code send(2)} (an unconnected netlink socket sends to the kernel), retrying EINTR. */
  public long send(int fd, long buf, long len, int flags, String verb, Object what)
      throws SyscallException {
    long n;
    while ((n = c.send(fd, buf, len, flags)) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
    return n;
  }

  /** {@code recvmsg(2)}, retrying EINTR. */
  public long recvmsg(int fd, long msghdr, int flags, String verb, Object what)
      throws SyscallException {
    long n;
    while ((n = c.recvmsg(fd, msghdr, flags)) < 0) {
      failUnlessEintr(verb + " " + what); // built only on a failure
    }
    return n;
  }

  /** {@code poll(2)}; EINTR reads as a timeout (0). */
  public int poll(long fds, long nfds, int timeoutMs, String op) throws SyscallException {
    int n = c.poll(fds, nfds, timeoutMs);
    if (n >= 0) {
      return n;
    }
    if (jnr.errno() == Errno.EINTR.number()) {
      return 0;
    }
    throw failure(op);
  }

  /** {@code eventfd(0, flags)}. */
  public int eventfd(int flags, String op) throws SyscallException {
    return check(c.eventfd(0, flags), op);
  }

  // ---- namespaces and mounts ----------------------------------------------------------------

  /** {@code setns(fd, nstype)}: moves the calling thread only. */
  public void setns(int fd, int nstype, String op) throws SyscallException {
    check(c.setns(fd, nstype), op);
  }

  /** {@code unshare(flags)}: the calling thread only. */
  public void unshare(int flags, String op) throws SyscallException {
    check(c.unshare(flags), op);
  }

  public void mount(String source, String target, String fsType, long flags, String op)
      throws SyscallException {
    check(c.mount(source, target, fsType, flags, 0L), op);
  }

  public void umount2(String target, int flags, String op) throws SyscallException {
    check(c.umount2(target, flags), op);
  }

  // ---- process ------------------------------------------------------------------------------

  public int getpid() {
    return c.getpid();
  }

  /** The effective user id ({@code geteuid(2)}; 0 for root). */
  public int geteuid() {
    return c.geteuid();
  }

  // ---- child processes (glibc 2.36 and later) ----------------------------------------------

  /**
   * Empty when {@link #pipe}, {@link #spawn}, {@link #waitpid}, {@link #kill} and {@link
   * #pidfdOpen} are bound here; otherwise why not (a libc older than 2.36). The other calls do not
   * depend on it.
   */
  public Optional<String> spawnUnavailableReason() {
    return Optional.ofNullable(jnr.spawnFailure);
  }

  /** {@code pipe2(fds, O_CLOEXEC)}: the read end, then the write end. */
  public int[] pipe(String op) throws SyscallException {
    ByteBuffer fds = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    check(spawn().pipe2(address(fds), O_CLOEXEC), op);
    return new int[] {fds.getInt(0), fds.getInt(4)};
  }

  /** {@code fcntl(fd, F_SETFL, flags | O_NONBLOCK)}. */
  public void setNonblocking(int fd, String op) throws SyscallException {
    int flags = check(spawn().fcntl(fd, F_GETFL, 0), op);
    check(spawn().fcntl(fd, F_SETFL, flags | O_NONBLOCK), op);
  }

  /**
   * {@code posix_spawn(&pid, path, fa, attr, argv, envp)} with the file actions {@code dup2(stdin,
   * 0)}, {@code dup2(stdout, 1)}, {@code dup2(stderr, 2)} and {@code closefrom(3)}, and the
   * attribute of an empty signal mask (a JVM thread blocks SIGQUIT, which the child would inherit).
   * glibc's posix_spawn is clone(CLONE_VM|CLONE_VFORK) and execve in the child, which reports an
   * exec failure (ENOENT, EACCES, ENOEXEC: no shell fallback) as the return value. Every descriptor
   * but the three is closed in the child, whether or not it is close-on-exec.
   *
   * @param path the executable
   * @param argv address of a NULL-terminated array of string addresses
   * @param envp address of a NULL-terminated array of {@code NAME=value} string addresses
   * @return the child's pid
   * @throws IllegalArgumentException when one of the descriptors is 0, 1 or 2 (the dup2s would
   *     clobber each other)
   */
  public int spawn(String path, long argv, long envp, int stdin, int stdout, int stderr, String op)
      throws SyscallException {
    if (stdin < 3 || stdout < 3 || stderr < 3) {
      throw new IllegalArgumentException(
          "the child's stdio must come from descriptors above 2: "
              + stdin
              + " "
              + stdout
              + " "
              + stderr);
    }
    JnrLibc.SpawnFunctions f = spawn();
    // posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128 (glibc LP64)
    ByteBuffer mem = ByteBuffer.allocateDirect(1024).order(ByteOrder.nativeOrder());
    long base = address(mem);
    long fa = base;
    long attr = base + 128;
    long emptySet = base + 512; // zeros: allocateDirect clears
    long pid = base + 768;
    int rc = f.posix_spawn_file_actions_init(fa);
    if (rc != 0) {
      throw new SyscallException(op + ": posix_spawn_file_actions_init", Errno.of(rc));
    }
    try {
      rc = f.posix_spawnattr_init(attr);
      if (rc != 0) {
        throw new SyscallException(op + ": posix_spawnattr_init", Errno.of(rc));
      }
      try {
        if ((rc = f.posix_spawn_file_actions_adddup2(fa, stdin, 0)) != 0
            || (rc = f.posix_spawn_file_actions_adddup2(fa, stdout, 1)) != 0
            || (rc = f.posix_spawn_file_actions_adddup2(fa, stderr, 2)) != 0
            || (rc = f.posix_spawn_file_actions_addclosefrom_np(fa, 3)) != 0
            || (rc = f.posix_spawnattr_setsigmask(attr, emptySet)) != 0
            || (rc = f.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK)) != 0) {
          throw new SyscallException(op + ": posix_spawn attributes", Errno.of(rc));
        }
        rc = f.posix_spawn(pid, path, fa, attr, argv, envp);
        if (rc != 0) {
          throw new SyscallException(op, Errno.of(rc));
        }
        return mem.getInt(768);
      } finally {
        f.posix_spawnattr_destroy(attr);
      }
    } finally {
      f.posix_spawn_file_actions_destroy(fa);
      Reference.reachabilityFence(mem); // the native structs live in it until destroyed
    }
  }

  /**
   * {@code waitpid(pid, status, options)}, retrying EINTR: the pid, or 0 with {@code WNOHANG} when
   * the child has not ended. {@code status} is the address of an {@code int}.
   */
  public int waitpid(int pid, long status, int options, String op) throws SyscallException {
    while (true) {
      int r = spawn().waitpid(pid, status, options);
      if (r >= 0) {
        return r;
      }
      failUnlessEintr(op);
    }
  }

  /** {@code kill(pid, sig)}. */
  public void kill(int pid, int sig, String op) throws SyscallException {
    check(spawn().kill(pid, sig), op);
  }

  /**
   * {@code pidfd_open(pid, 0)}: a close-on-exec descriptor that polls readable (POLLIN) once the
   * process has ended (Linux 5.3).
   */
  public int pidfdOpen(int pid, String op) throws SyscallException {
    return check(spawn().pidfd_open(pid, 0), op);
  }

  private JnrLibc.SpawnFunctions spawn() {
    if (sp == null) {
      throw new UnsupportedOperationException(jnr.spawnFailure);
    }
    return sp;
  }

  // ---- errors -------------------------------------------------------------------------------

  private int check(int rc, String op) throws SyscallException {
    if (rc < 0) {
      throw failure(op);
    }
    return rc;
  }

  /**
   * After a call failed: returns when it was interrupted (EINTR: the caller calls again), else
   * throws its failure. The callers loop themselves rather than pass the call as a lambda: a
   * capturing lambda per read costs, under the daemon's C1-only JIT, about as much as the rest of
   * the call.
   */
  private void failUnlessEintr(String op) throws SyscallException {
    if (jnr.errno() != Errno.EINTR.number()) {
      throw failure(op);
    }
  }

  private SyscallException failure(String op) {
    return new SyscallException(op, Errno.of(jnr.errno()));
  }

  @Override
  public String toString() {
    return "Libc[jnr-ffi, O_DIRECTORY=0x" + Integer.toHexString(jnr.oDirectory) + "]";
  }
}
