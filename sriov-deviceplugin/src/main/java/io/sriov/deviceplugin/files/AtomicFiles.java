package io.sriov.deviceplugin.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Writes files other processes read (CNI device-info files, CDI specs) so a reader never sees a
 * partial one: the bytes go to a temp file in the same directory, are synced, and the temp file is
 * renamed over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code target} with {@code bytes}, creating its directory if needed. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, null);
  }

  /**
   * Like {@link #write(Path, byte[])}, the new file having {@code permissions} (set on the temp
   * file before the rename, so the target never has other ones); {@code null}: the umask's.
   */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // One temp name per thread: writers of the same target on different threads never share it.
    Path tmp =
        dir.resolve("." + target.getFileName() + "." + Thread.currentThread().threadId() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    if (permissions != null) {
      Files.setPosixFilePermissions(tmp, permissions);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Removes the temp files {@link #write} leaves behind when the process dies between creating and
   * renaming one: {@code .<target>.<n>.tmp} for targets matching {@code targetGlob} in {@code dir}.
   * Call at start, before writing there.
   *
   * @return how many were removed
   */
  public static int removeLeftoverTemps(Path dir, String targetGlob) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "." + targetGlob + ".*.tmp")) {
      for (Path t : temps) {
        if (Files.deleteIfExists(t)) {
          n++;
        }
      }
    }
    return n;
  }
}
