package io.sriov.netlink.netns;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.socket.NamespaceSyscalls;
import io.sriov.os.Errno;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Named network namespaces the way iproute2 keeps them ({@code ip netns add|del|list}): a namespace
 * is pinned by bind-mounting its {@code /proc/thread-self/ns/net} onto an empty file in the run
 * directory ({@code /var/run/netns}), which is itself made a shared mount so the pin is seen in
 * other mount namespaces. The run directory is injected.
 */
public final class NamedNetns {
  /** iproute2's NETNS_RUN_DIR. */
  public static final Path DEFAULT_RUN_DIR = Path.of("/var/run/netns");

  private final Path runDir;
  private final NetnsExecutor executor;

  public NamedNetns(Path runDir, NetnsExecutor executor) {
    this.runDir = Objects.requireNonNull(runDir, "runDir");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  public Path runDir() {
    return runDir;
  }

  public Path path(NetnsName name) {
    return runDir.resolve(name.value());
  }

  /** {@code ip netns add NAME}: creates and pins a new network namespace; fails if it exists. */
  public void create(NetnsName name) throws NetlinkException {
    Path file = path(name);
    try {
      ensureRunDir();
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new ErrnoException("ip netns add " + name + " (" + file + ")", Errno.EEXIST);
    } catch (IOException e) {
      throw new ErrnoException(
          "ip netns add " + name + " (" + file + "): " + e.getMessage(), Errno.EIO);
    }
    try {
      NetnsExecutor.runOnFreshThread(
          "netns-create-" + name,
          () -> {
            NamespaceSyscalls.unshareNet(name.value());
            NamespaceSyscalls.bindMount("/proc/thread-self/ns/net", file.toString());
            return null;
          });
    } catch (NetlinkException | RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Creates the run directory and makes it a shared mount point, as iproute2 does. */
  private void ensureRunDir() throws IOException, ErrnoException {
    Files.createDirectories(runDir);
    String dir = runDir.toString();
    try {
      NamespaceSyscalls.makeRecursivelyShared(dir);
    } catch (ErrnoException e) {
      if (!e.errno().equals(Errno.EINVAL)) {
        throw e;
      }
      NamespaceSyscalls.bindMountSelf(dir);
      NamespaceSyscalls.makeRecursivelyShared(dir);
    }
  }

  /**
   * {@code ip netns del NAME}: unpins (lazy unmount) and removes the file. The namespace goes away
   * once nothing else holds it. False when it did not exist (deleting is idempotent).
   */
  public boolean delete(NetnsName name) throws NetlinkException {
    Path file = path(name);
    if (!Files.exists(file)) {
      return false;
    }
    try {
      NamespaceSyscalls.detach(file.toString());
    } catch (ErrnoException e) {
      if (!e.errno().equals(Errno.EINVAL)) { // EINVAL: not mounted (half-created)
        throw e;
      }
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new ErrnoException(
          "ip netns del " + name + " (" + file + "): " + e.getMessage(), Errno.EIO);
    }
    return true;
  }

  /** Opens the named namespace; empty when there is no such name. */
  public Optional<NetNamespace> open(NetnsName name) throws ErrnoException {
    Path file = path(name);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(NetNamespace.open(file));
  }

  /** {@code ip netns list}: the names in the run directory. */
  public List<NetnsName> list() throws IOException {
    List<NetnsName> out = new ArrayList<>();
    if (!Files.isDirectory(runDir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(runDir)) {
      for (Path p : s) {
        out.add(NetnsName.of(p.getFileName().toString()));
      }
    }
    out.sort(java.util.Comparator.comparing(NetnsName::value));
    return out;
  }

  public NetnsExecutor executor() {
    return executor;
  }
}
