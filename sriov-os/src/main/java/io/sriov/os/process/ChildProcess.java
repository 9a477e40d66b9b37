package io.sriov.os.process;

import io.sriov.os.Errno;
import io.sriov.os.Libc;
import io.sriov.os.SyscallException;
import java.io.ByteArrayOutputStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a program to its end, as a plugin runtime runs a CNI plugin: glibc's {@code posix_spawn}
 * (clone(CLONE_VM|CLONE_VFORK) and one execve, the way Go's os/exec starts a process; the JDK's
 * ProcessBuilder execs its {@code jspawnhelper} first, then the program: two execs), the given argv
 * and exactly the given environment, stdin/stdout/stderr on pipes and every other descriptor of
 * this process closed in the child (the daemon's netlink sockets, lock files and listening sockets
 * never leak into a plugin, however long it lives). The calling thread writes stdin and reads
 * stdout and stderr as each is ready ({@code poll} over the three pipes and a pidfd, no other
 * thread, so no pipe can fill up and block the child), then reaps the child. A child that does not
 * end (with its pipes closed) within the timeout is killed with SIGKILL and reaped.
 *
 * <p>Shell equivalent: {@code env -i NAME=value... /path/program args < stdin}.
 *
 * <p>Blocks the calling thread in native calls: call it from a platform thread (a virtual thread
 * would pin its carrier for the child's lifetime). An interrupt is seen within 100 ms: the child is
 * killed and reaped and {@link InterruptedException} thrown. Needs glibc 2.36 and Linux 5.9 ({@link
 * #unavailableReason()}).
 */
public final class ChildProcess {
  private static final int CHUNK = 64 * 1024;
  private static final int SLICE_MS = 100;

  private final Libc libc;

  private ChildProcess(Libc libc) {
    this.libc = libc;
  }

  /** The primitive, when libc and its spawn functions are bound here. */
  public static Optional<ChildProcess> available() {
    return Libc.available()
        .filter(l -> l.spawnUnavailableReason().isEmpty())
        .map(ChildProcess::new);
  }

  /** Empty when {@link #available()} is not; otherwise why not. */
  public static Optional<String> unavailableReason() {
    return Libc.unavailableReason().or(() -> Libc.get().spawnUnavailableReason());
  }

  /**
   * How a run ended.
   *
   * @param waitStatus the raw status of {@code waitpid}
   * @param timedOut the child had not ended within the timeout and was killed
   */
  public record Result(int waitStatus, byte[] stdout, byte[] stderr, boolean timedOut) {
    /** The child called exit (false: a signal ended it). */
    public boolean exited() {
      return (waitStatus & 0x7f) == 0;
    }

    /** The signal that ended the child, or 0 when it exited. */
    public int signal() {
      return waitStatus & 0x7f;
    }

    /**
     * The exit code, or 128 + the signal for a child a signal ended (as a shell's {@code $?} and
     * {@link Process#exitValue()} read it).
     */
    public int exitValue() {
      return exited() ? (waitStatus >> 8) & 0xff : 128 + signal();
    }

    public String stderrText() {
      return new String(stderr, StandardCharsets.UTF_8);
    }
  }

  /**
   * Runs {@code executable} with {@code args} ({@code argv[0]} is the executable's path) and
   * exactly {@code env}, {@code stdin} on its standard input, to its end or the timeout.
   *
   * @throws SyscallException when it cannot start ({@code spawn <path>: ENOENT}, {@code EACCES},
   *     {@code ENOEXEC}) or a pipe fails; nothing is left running or unreaped
   * @throws InterruptedException the calling thread was interrupted; the child is killed and reaped
   * @throws IllegalArgumentException a name with {@code =} or NUL, a value or argument with NUL
   */
  public Result run(
      Path executable, List<String> args, Map<String, String> env, byte[] stdin, Duration timeout)
      throws SyscallException, InterruptedException {
    String exe = executable.toString();
    List<String> argv = new ArrayList<>(args.size() + 1);
    argv.add(exe);
    argv.addAll(args);
    List<String> envp = new ArrayList<>(env.size());
    env.forEach(
        (k, v) -> {
          if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an environment variable name: \"" + k + "\"");
          }
          envp.add(k + "=" + v);
        });
    ByteBuffer strings = cStrings(exe, argv, envp);
    long base = libc.address(strings);
    long deadline = System.nanoTime() + timeout.toNanos();

    int[] in = null;
    int[] out = null;
    int[] err = null;
    int pid = -1;
    int pidfd = -1;
    try {
      in = libc.pipe("pipe for the stdin of " + exe);
      out = libc.pipe("pipe for the stdout of " + exe);
      err = libc.pipe("pipe for the stderr of " + exe);
      libc.setNonblocking(in[1], "fcntl O_NONBLOCK on the stdin of " + exe);
      try {
        pid =
            libc.spawn(
                exe,
                base + strings.getInt(0),
                base + strings.getInt(4),
                in[0],
                out[1],
                err[1],
                "spawn " + exe);
      } finally {
        Reference.reachabilityFence(strings); // argv and envp live in it until the exec
        libc.closeQuietly(in[0]);
        libc.closeQuietly(out[1]);
        libc.closeQuietly(err[1]);
        in[0] = out[1] = err[1] = -1;
      }
      pidfd = libc.pidfdOpen(pid, "pidfd_open " + pid + " (" + exe + ")");
      Result r = exchange(exe, pid, pidfd, in, out, err, stdin, deadline);
      pid = -1; // reaped
      return r;
    } finally {
      if (pid > 0) { // a failure or an interrupt after the start: kill and reap
        killAndReap(pid, exe);
      }
      for (int[] p : new int[][] {in, out, err}) {
        if (p != null) {
          closeIfOpen(p[0]);
          closeIfOpen(p[1]);
        }
      }
      closeIfOpen(pidfd);
    }
  }

  /**
   * Feeds stdin, drains stdout and stderr until the child ended and both are at EOF. A pipe end
   * closed here is set to -1 in its array at once, so that {@link #run}'s cleanup never closes a
   * descriptor number another thread may have been given meanwhile.
   */
  private Result exchange(
      String exe, int pid, int pidfd, int[] in, int[] out, int[] err, byte[] stdin, long deadline)
      throws SyscallException, InterruptedException {
    // struct pollfd { int fd; short events; short revents; } x 4: stdin, stdout, stderr, pidfd
    ByteBuffer polls = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
    ByteBuffer io = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.nativeOrder());
    long pollsAddr = libc.address(polls);
    long ioAddr = libc.address(io);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int written = 0;
    if (stdin.length == 0) {
      libc.closeQuietly(in[1]);
      in[1] = -1;
    }
    setPoll(polls, 0, in[1], Libc.POLLOUT);
    setPoll(polls, 1, out[0], Libc.POLLIN);
    setPoll(polls, 2, err[0], Libc.POLLIN);
    setPoll(polls, 3, pidfd, Libc.POLLIN);
    boolean timedOut = false;
    while (polls.getInt(8) >= 0 || polls.getInt(16) >= 0 || polls.getInt(24) >= 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        timedOut = true;
        break;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while " + exe + " ran");
      }
      int ms = (int) Math.min(SLICE_MS, (left + 999_999) / 1_000_000);
      if (libc.poll(pollsAddr, 4, ms, "poll the pipes of " + exe) == 0) {
        continue;
      }
      if (revents(polls, 0) != 0) {
        int n = Math.min(CHUNK, stdin.length - written);
        io.put(0, stdin, written, n);
        long w = libc.tryWrite(in[1], ioAddr, n);
        if (w >= 0) {
          written += (int) w;
        } else if (w != -Errno.EAGAIN.number()) {
          written = stdin.length; // EPIPE: the child does not read (more of) stdin
        }
        if (written == stdin.length) {
          libc.closeQuietly(in[1]);
          in[1] = -1;
          setPoll(polls, 0, -1, (short) 0);
        }
      }
      drain(polls, 1, out, ioAddr, io, stdout, exe, "stdout");
      drain(polls, 2, err, ioAddr, io, stderr, exe, "stderr");
      if (revents(polls, 3) != 0) {
        setPoll(polls, 3, -1, (short) 0); // ended: its stdin has no reader any more
        if (in[1] >= 0) {
          libc.closeQuietly(in[1]);
          in[1] = -1;
          setPoll(polls, 0, -1, (short) 0);
        }
      }
    }
    if (timedOut) {
      libc.kill(pid, Libc.SIGKILL, "kill -KILL " + pid + " (" + exe + ")");
    }
    ByteBuffer status = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    libc.waitpid(pid, libc.address(status), 0, "waitpid " + pid + " (" + exe + ")");
    return new Result(status.getInt(0), stdout.toByteArray(), stderr.toByteArray(), timedOut);
  }

  private void drain(
      ByteBuffer polls,
      int i,
      int[] pipe,
      long ioAddr,
      ByteBuffer io,
      ByteArrayOutputStream to,
      String exe,
      String what)
      throws SyscallException {
    if (revents(polls, i) == 0) {
      return;
    }
    long n = libc.read(pipe[0], ioAddr, CHUNK, "read the " + what + " of", exe);
    if (n == 0) {
      libc.closeQuietly(pipe[0]);
      pipe[0] = -1;
      setPoll(polls, i, -1, (short) 0);
      return;
    }
    byte[] chunk = new byte[(int) n];
    io.get(0, chunk);
    to.write(chunk, 0, chunk.length);
  }

  private static void setPoll(ByteBuffer polls, int i, int fd, short events) {
    polls.putInt(i * 8, fd);
    polls.putShort(i * 8 + 4, events);
    polls.putShort(i * 8 + 6, (short) 0);
  }

  private static short revents(ByteBuffer polls, int i) {
    return polls.getInt(i * 8) < 0 ? 0 : polls.getShort(i * 8 + 6);
  }

  private void closeIfOpen(int fd) {
    if (fd >= 0) {
      libc.closeQuietly(fd);
    }
  }

  private void killAndReap(int pid, String exe) {
    try {
      libc.kill(pid, Libc.SIGKILL, "kill");
      ByteBuffer status = ByteBuffer.allocateDirect(4);
      libc.waitpid(pid, libc.address(status), 0, "waitpid");
      Reference.reachabilityFence(status); // the kernel writes to it during the call
    } catch (SyscallException e) {
      throw new IllegalStateException("cannot kill and reap " + pid + " (" + exe + ")", e);
    }
  }

  /**
   * One direct buffer: at 0 and 4 the offsets of the argv and envp arrays; from 8 the arguments and
   * the variables, each NUL-terminated; then, 8-aligned, the argv and envp arrays of their absolute
   * addresses, each ending with NULL.
   */
  private ByteBuffer cStrings(String exe, List<String> argv, List<String> envp) {
    cString(exe, "executable path"); // checked only: posix_spawn takes it as a String
    List<byte[]> all = new ArrayList<>(argv.size() + envp.size());
    for (String a : argv) {
      all.add(cString(a, "argument"));
    }
    for (String e : envp) {
      all.add(cString(e, "environment variable"));
    }
    int size = 8;
    for (byte[] b : all) {
      size += b.length;
    }
    int arrays = (size + 7) & ~7;
    int total = arrays + 8 * (argv.size() + 1) + 8 * (envp.size() + 1);
    ByteBuffer buf = ByteBuffer.allocateDirect(total).order(ByteOrder.nativeOrder());
    long base = libc.address(buf);
    int pos = 8;
    long[] addr = new long[all.size()];
    for (int i = 0; i < all.size(); i++) {
      addr[i] = base + pos;
      buf.put(pos, all.get(i));
      pos += all.get(i).length;
    }
    int argvAt = arrays;
    int envpAt = arrays + 8 * (argv.size() + 1);
    for (int i = 0; i < argv.size(); i++) {
      buf.putLong(argvAt + 8 * i, addr[i]);
    }
    buf.putLong(argvAt + 8 * argv.size(), 0L);
    for (int i = 0; i < envp.size(); i++) {
      buf.putLong(envpAt + 8 * i, addr[argv.size() + i]);
    }
    buf.putLong(envpAt + 8 * envp.size(), 0L);
    buf.putInt(0, argvAt);
    buf.putInt(4, envpAt);
    return buf;
  }

  private static byte[] cString(String s, String what) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " with a NUL character: \"" + s + "\"");
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return z;
  }
}
