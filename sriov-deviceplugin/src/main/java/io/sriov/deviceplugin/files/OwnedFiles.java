package io.sriov.deviceplugin.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files this process created, by identity (device and inode, birth and modification time), so
 * that it removes only what it created itself: when two instances overlap (a DaemonSet rolling
 * update with surge, a restart while the old process exits) and the new one has replaced a file at
 * the same path, the old one leaves it alone. Between the identity check and the unlink another
 * process could still replace the file; that window is a system call wide.
 */
public final class OwnedFiles {
  private final Map<Path, Object> owned = new ConcurrentHashMap<>();

  /** Identity of a file (not following a symlink); empty when it does not exist. */
  public static Optional<Object> identity(Path p) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(
          List.of(String.valueOf(a.fileKey()), a.creationTime(), a.lastModifiedTime()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Records {@code p}, as it is now, as created by this process. */
  public void created(Path p) {
    identity(p).ifPresentOrElse(id -> owned.put(p, id), () -> owned.remove(p));
  }

  /** True when {@code p} is still the file this process created there. */
  public boolean owns(Path p) {
    Object mine = owned.get(p);
    return mine != null && identity(p).map(mine::equals).orElse(false);
  }

  /**
   * Removes {@code p} if it is still the file this process created there, and forgets it either
   * way.
   *
   * @return true when it was removed
   */
  public boolean removeIfOwned(Path p) throws IOException {
    boolean mine = owns(p);
    owned.remove(p);
    return mine && Files.deleteIfExists(p);
  }

  /** The paths recorded as created by this process (a copy). */
  public List<Path> paths() {
    return List.copyOf(owned.keySet());
  }

  /** Forgets {@code p} (it was removed by this process or is no longer its to remove). */
  public void forget(Path p) {
    owned.remove(p);
  }
}
