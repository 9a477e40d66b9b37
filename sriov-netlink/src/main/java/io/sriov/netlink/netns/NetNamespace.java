package io.sriov.netlink.netns;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.socket.NamespaceSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An open network namespace: a file descriptor on {@code /var/run/netns/NAME}, {@code
 * /proc/PID/ns/net} or the like. Holding it keeps the namespace alive. Pass it to {@link
 * NetnsExecutor#run} to work inside, or as IFLA_NET_NS_FD to move a link there.
 */
public final class NetNamespace implements AutoCloseable {
  private static final Path SELF = Path.of("/proc/self/ns/net");
  private static final Path THREAD = Path.of("/proc/thread-self/ns/net");

  private final Path path;
  private final int fd;
  private boolean closed;

  private NetNamespace(Path path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  /** Opens the namespace file at {@code path} (O_RDONLY|O_CLOEXEC). */
  public static NetNamespace open(Path path) throws ErrnoException {
    Objects.requireNonNull(path, "path");
    return new NetNamespace(path, NamespaceSyscalls.open(path.toString()));
  }

  /**
   * {@code unshare(CLONE_NEWNET)} on a throwaway thread, keeping only an fd on the new namespace:
   * it has no name and no mount, lives while this handle is open, and dies with the process. Its
   * path is that fd's {@code /proc/PID/fd/N}, which other code of this process can open.
   */
  public static NetNamespace createUnnamed() throws NetlinkException {
    int fd =
        NetnsExecutor.runOnFreshThread(
            "netns-unnamed",
            () -> {
              NamespaceSyscalls.unshareNet("an unnamed namespace");
              return NamespaceSyscalls.open("/proc/thread-self/ns/net");
            });
    return new NetNamespace(
        Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd", Integer.toString(fd)),
        fd);
  }

  /** The namespace of process {@code pid}: {@code /proc/PID/ns/net}. */
  public static NetNamespace ofProcess(Path procRoot, int pid) throws ErrnoException {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive: " + pid);
    }
    return open(procRoot.resolve(Integer.toString(pid)).resolve("ns").resolve("net"));
  }

  public Path path() {
    return path;
  }

  /** The open fd; valid until {@link #close()}. */
  public int fd() {
    if (closed) {
      throw new IllegalStateException("network namespace " + path + " closed");
    }
    return fd;
  }

  /**
   * Whether the open file is a namespace (upstream's {@code ns.GetNS} check): it lives on nsfs, the
   * file system of {@code /proc/self/ns/net}. False when that cannot be read.
   */
  public boolean isNamespace() {
    try {
      return Files.getAttribute(Path.of("/proc/self/fd/" + fd()), "unix:dev")
          .equals(Files.getAttribute(SELF, "unix:dev"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether the calling thread is in this namespace: the thread's {@code /proc/thread-self/ns/net}
   * and this fd are the same nsfs inode. False when that cannot be read.
   */
  public boolean isCallersNamespace() {
    try {
      return identity(Path.of("/proc/self/fd/" + fd())).equals(identity(THREAD));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static List<Object> identity(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
    return List.of(a.get("dev"), a.get("ino"));
  }

  @Override
  public synchronized void close() throws ErrnoException {
    if (!closed) {
      closed = true;
      NamespaceSyscalls.close(fd, "netns " + path);
    }
  }

  @Override
  public String toString() {
    return "netns " + path;
  }
}
