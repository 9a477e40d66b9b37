package io.sriov.os;

import java.nio.ByteBuffer;
import java.util.Locale;
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

/**
 * The only class of the project that touches jnr-ffi: libc's functions bound once, their saved
 * errno, and the native address of a direct buffer. {@link Libc} is the public face.
 *
 * <p>Pointers are passed as raw addresses of direct buffers. sendto/recvfrom are not bound: jnr-ffi
 * 2.2.17 passed a garbage sixth argument to sendto on the project's machine (seen with strace), so
 * send(2) and recvmsg(2) are used instead. The cause, found with {@code posix_spawn}: for a
 * signature of more than four arguments, all primitive, jnr-ffi on x86_64 compiles a machine-code
 * stub ({@code X86MethodGenerator}, off with {@code -Djnr.ffi.x86asm.enabled=false}) that passes a
 * garbage sixth argument (the one the JNI call has on the stack); with one object argument (a
 * {@code String}) jnr-ffi takes its generic libffi path instead. So the one six-argument function
 * bound, {@code posix_spawn}, takes its path as a {@code String}, and {@code ChildProcessTest}
 * proves on every build that its sixth, {@code envp}, arrives intact (the child prints exactly the
 * environment passed).
 */
final class JnrLibc {

  /** The libc functions, with their C signatures. */
  public interface Functions {
    // int open(const char *path, int flags, mode_t mode);
    @SaveError
    int open(String path, int flags, int mode);

    // int openat(int dirfd, const char *path, int flags, mode_t mode);
    @SaveError
    int openat(int dirfd, long path, int flags, int mode);

    // ssize_t read(int fd, void *buf, size_t count);
    @SaveError
    @ssize_t
    long read(int fd, long buf, @size_t long count);

    // ssize_t write(int fd, const void *buf, size_t count);
    @SaveError
    @ssize_t
    long write(int fd, long buf, @size_t long count);

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

    // int fchmod(int fd, mode_t mode);
    @SaveError
    int fchmod(int fd, int mode);

    // int fsync(int fd);
    @SaveError
    int fsync(int fd);

    // int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
    @SaveError
    int renameat(int oldDirfd, long oldPath, int newDirfd, long newPath);

    // int unlinkat(int dirfd, const char *path, int flags);
    @SaveError
    int unlinkat(int dirfd, long path, int flags);

    // int flock(int fd, int operation);
    @SaveError
    int flock(int fd, int operation);

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

    // int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
    @SaveError
    int getsockopt(int fd, int level, int name, long val, long lenPtr);

    // ssize_t send(int fd, const void *buf, size_t len, int flags);
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

    // uid_t geteuid(void);
    @IgnoreError
    int geteuid();
  }

  /**
   * Child processes (glibc 2.36 and later: {@code posix_spawn_file_actions_addclosefrom_np} is
   * 2.34, {@code pidfd_open} 2.36), bound apart from {@link Functions} so that an older libc loses
   * only these.
   */
  public interface SpawnFunctions {
    // int pipe2(int pipefd[2], int flags);
    @SaveError
    int pipe2(long fds, int flags);

    // int fcntl(int fd, int cmd, ... /* int arg */);
    @SaveError
    int fcntl(int fd, int cmd, int arg);

    // int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
    //                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
    // returns the error number (errno is not set). path is a String ON PURPOSE: with six
    // primitive arguments jnr-ffi compiles an x86-64 machine-code stub (X86MethodGenerator) that
    // passes a garbage sixth argument (envp arrived as 0x7f..f85, execve failed with EFAULT); an
    // object argument makes jnr-ffi take its generic libffi path, which passes all six intact.
    @IgnoreError
    int posix_spawn(long pid, String path, long fileActions, long attr, long argv, long envp);

    // int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa);
    @IgnoreError
    int posix_spawn_file_actions_init(long fa);

    // int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa);
    @IgnoreError
    int posix_spawn_file_actions_destroy(long fa);

    // int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd);
    @IgnoreError
    int posix_spawn_file_actions_adddup2(long fa, int fd, int newFd);

    // int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from);
    @IgnoreError
    int posix_spawn_file_actions_addclosefrom_np(long fa, int from);

    // int posix_spawnattr_init(posix_spawnattr_t *attr);
    @IgnoreError
    int posix_spawnattr_init(long attr);

    // int posix_spawnattr_destroy(posix_spawnattr_t *attr);
    @IgnoreError
    int posix_spawnattr_destroy(long attr);

    // int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
    @IgnoreError
    int posix_spawnattr_setflags(long attr, short flags);

    // int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *mask);
    @IgnoreError
    int posix_spawnattr_setsigmask(long attr, long sigset);

    // pid_t waitpid(pid_t pid, int *status, int options);
    @SaveError
    int waitpid(int pid, long status, int options);

    // int kill(pid_t pid, int sig);
    @SaveError
    int kill(int pid, int sig);

    // int pidfd_open(pid_t pid, unsigned int flags);
    @SaveError
    int pidfd_open(int pid, int flags);
  }

  final Functions c;
  private final Runtime runtime;

  /** The child-process functions, or null with {@link #spawnFailure} saying why. */
  final SpawnFunctions spawn;

  final String spawnFailure;

  /** {@code O_DIRECTORY}: 0200000 on x86_64 (asm-generic), 040000 on arm64. */
  final int oDirectory;

  /** {@code O_NOFOLLOW}: 0400000 on x86_64 (asm-generic), 0100000 on arm64. */
  final int oNofollow;

  private JnrLibc(
      Functions c, int oDirectory, int oNofollow, SpawnFunctions spawn, String spawnFailure) {
    this.c = c;
    this.spawn = spawn;
    this.spawnFailure = spawnFailure;
    this.runtime = Runtime.getRuntime(c);
    this.oDirectory = oDirectory;
    this.oNofollow = oNofollow;
  }

  /** errno saved by the last failed call of this thread. */
  int errno() {
    return runtime.getLastError();
  }

  long address(ByteBuffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("not a direct buffer");
    }
    return Pointer.wrap(runtime, direct).address();
  }

  /** The probe's outcome: a binding, or why there is none. */
  record Probe(JnrLibc binding, String failure) {}

  /**
   * Binds libc: Linux on x86_64 or arm64 only (the flag values and struct layouts the callers use
   * are those of these LP64 platforms), with a jffi stub that loads. Never throws.
   */
  static Probe probe() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
      return new Probe(null, "libc calls need Linux, running on " + os);
    }
    try {
      Platform.CPU cpu = Platform.getNativePlatform().getCPU();
      int[] oFlags = // O_DIRECTORY, O_NOFOLLOW
          switch (cpu) {
            case X86_64 -> new int[] {0x10000, 0x20000};
            case AARCH64 -> new int[] {0x4000, 0x8000};
            default -> null;
          };
      if (oFlags == null) {
        return new Probe(null, "libc calls are not set up for CPU " + cpu);
      }
      int oDirectory = oFlags[0];
      int oNofollow = oFlags[1];
      Functions c =
          LibraryLoader.create(Functions.class)
              .option(LibraryOption.LoadNow, true)
              .failImmediately()
              .load("c");
      c.getpid();
      SpawnFunctions spawn = null;
      String spawnFailure = null;
      try {
        spawn =
            LibraryLoader.create(SpawnFunctions.class)
                .option(LibraryOption.LoadNow, true)
                .failImmediately()
                .load("c");
      } catch (LinkageError | RuntimeException e) {
        spawnFailure =
            "cannot bind posix_spawn and pidfd_open (glibc 2.36 or later) through jnr-ffi: " + e;
      }
      return new Probe(new JnrLibc(c, oDirectory, oNofollow, spawn, spawnFailure), null);
    } catch (LinkageError | RuntimeException e) {
      return new Probe(null, "cannot bind libc through jnr-ffi: " + e);
    }
  }
}
