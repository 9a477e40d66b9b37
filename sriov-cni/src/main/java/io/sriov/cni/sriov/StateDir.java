package io.sriov.cni.sriov;

import io.sriov.core.value.PciAddress;
import io.sriov.os.Errno;
import io.sriov.os.Libc;
import io.sriov.os.SyscallException;
import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The plugin's files under upstream sriov-cni's layout ({@code /var/lib/cni/sriov} on a node; any
 * directory in tests), all written with {@link AtomicFiles} (mode 0600):
 *
 * <pre>
 * ROOT/&lt;containerID&gt;-&lt;ifName&gt;        the cache: netconf + the VF's original state (upstream's NetConf JSON)
 * ROOT/pci/&lt;pci address&gt;               the allocation guard: the netns path of the pod holding the VF
 * ROOT/pci/vf_lock/&lt;pci address&gt;.lock  the per-VF lock file
 * </pre>
 *
 * Path parts are validated values only ({@link PciAddress}, a CNI_CONTAINERID and CNI_IFNAME the
 * CNI environment already checked; {@link #cache} refuses anything with a {@code /} or a leading
 * dot again). The lock is upstream's: {@code flock(LOCK_EX)} on the lock file, through a descriptor
 * of its own per call, so it excludes upstream's binary, our standalone plugin and every thread of
 * the daemon alike (a flock belongs to an open file description: two opens conflict in one process
 * too, and closing some other descriptor of the file does not drop it, unlike {@code fcntl} record
 * locks, which {@code FileChannel.lock} takes and which upstream's flock does not see). An
 * in-process lock per VF in front of it lets this instance's threads wait without polling.
 */
public final class StateDir {
  /** Upstream's {@code DefaultCNIDir}. */
  public static final Path DEFAULT_ROOT = Path.of("/var/lib/cni/sriov");

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Path root;
  private final ConcurrentHashMap<PciAddress, ReentrantLock> inProcess = new ConcurrentHashMap<>();

  public StateDir(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** {@code ROOT/<containerID>-<ifName>}. */
  public Path cache(String containerId, String ifName) {
    String name = containerId + "-" + ifName;
    if (containerId.isEmpty()
        || ifName.isEmpty()
        || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0
        || name.startsWith(".")) {
      throw new IllegalArgumentException("not a cache file name: \"" + name + "\"");
    }
    return root.resolve(name);
  }

  /** {@code ROOT/pci/<address>}. */
  public Path allocation(PciAddress vf) {
    return root.resolve("pci").resolve(vf.toString());
  }

  Path lockFile(PciAddress vf) {
    return root.resolve("pci").resolve("vf_lock").resolve(vf + ".lock");
  }

  /** The cache's bytes; empty when there is none. */
  public Optional<byte[]> readCache(String containerId, String ifName) {
    return read(cache(containerId, ifName));
  }

  public void writeCache(String containerId, String ifName, byte[] json) {
    write(cache(containerId, ifName), json);
  }

  /** Removes the cache; false when there was none. */
  public boolean deleteCache(String containerId, String ifName) {
    return delete(cache(containerId, ifName));
  }

  /** Every cache file (regular files directly under the root, temp files skipped). */
  public List<Path> caches() {
    List<Path> out = new ArrayList<>();
    try (var s = Files.newDirectoryStream(root)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".") && Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + root + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  /** The netns path recorded for {@code vf}; empty when the VF is not allocated. */
  public Optional<Path> allocatedNetns(PciAddress vf) {
    return read(allocation(vf))
        .map(b -> new String(b, StandardCharsets.UTF_8).strip())
        .map(s -> s.isEmpty() ? Path.of("") : Path.of(s));
  }

  /** Records that the pod at {@code netns} holds {@code vf} (upstream's format: the path). */
  public void allocate(PciAddress vf, Path netns) {
    write(allocation(vf), netns.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Drops the allocation; false when there was none. */
  public boolean release(PciAddress vf) {
    return delete(allocation(vf));
  }

  /** A held per-VF lock. */
  public interface VfLock extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the VF's lock, waiting at most {@code timeout} (upstream: 60 s).
   *
   * @throws VfLockTimeoutException still held by another process or thread after the wait
   */
  public VfLock lock(PciAddress vf, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ReentrantLock mine = inProcess.computeIfAbsent(vf, k -> new ReentrantLock());
    try {
      if (!mine.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw timeout(vf, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VfLockTimeoutException("interrupted waiting for the lock of VF " + vf);
    }
    Path file = lockFile(vf);
    int fd = -1;
    try {
      Libc libc = Libc.get();
      fd = openLockFile(libc, file);
      while (!libc.tryFlockExclusive(fd, "flock " + file)) {
        if (System.nanoTime() >= deadline) {
          throw timeout(vf, timeout);
        }
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(POLL_NANOS));
      }
      int held = fd;
      fd = -1;
      return new VfLock() {
        private boolean closed;

        @Override
        public void close() {
          if (closed) {
            return;
          }
          closed = true;
          try {
            libc.close(held, "close " + file); // ends the flock with its open file description
          } catch (IOException e) {
            throw new UncheckedIOException("releasing the lock of VF " + vf, e);
          } finally {
            mine.unlock();
          }
        }
      };
    } catch (IOException e) {
      mine.unlock();
      throw new UncheckedIOException("locking VF " + vf + " (" + file + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      mine.unlock();
      Thread.currentThread().interrupt();
      throw new VfLockTimeoutException("interrupted waiting for the lock of VF " + vf);
    } catch (RuntimeException e) {
      mine.unlock();
      throw e;
    } finally {
      if (fd >= 0) {
        Libc.get().closeQuietly(fd); // the lock was not taken; nothing else to undo
      }
    }
  }

  /**
   * The lock file opened read-only (flock needs no write access), created with its directories
   * first only when it is not there yet: the common case (upstream's or an earlier call's file) is
   * one {@code open}, without a {@code mkdir} and a create refused with an exception each.
   */
  private static int openLockFile(Libc libc, Path file) throws IOException {
    try {
      return libc.open(file.toString(), Libc.O_RDONLY, "open " + file);
    } catch (SyscallException e) {
      if (!e.errno().equals(Errno.ENOENT)) {
        throw e;
      }
    }
    Files.createDirectories(file.getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      // another process created it meanwhile
    }
    return libc.open(file.toString(), Libc.O_RDONLY, "open " + file);
  }

  private static VfLockTimeoutException timeout(PciAddress vf, Duration timeout) {
    return new VfLockTimeoutException(
        "VF "
            + vf
            + " is busy: another ADD or DEL held its lock for "
            + (timeout.toMillis() % 1000 == 0
                ? timeout.toSeconds() + " s"
                : timeout.toMillis() + " ms")
            + "; try again later");
  }

  private static Optional<byte[]> read(Path p) {
    try {
      return AtomicFiles.readIfPresent(p); // a free VF's absent allocation throws nothing
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + p + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path p, byte[] bytes) {
    try {
      AtomicFiles.write(p, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + p + ": " + e.getMessage(), e);
    }
  }

  private static boolean delete(Path p) {
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("removing " + p + ": " + e.getMessage(), e);
    }
  }
}
