package io.sriov.image;

import io.sriov.os.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Installs the CNI executables the image carries (the shim as {@code sriov} and {@code bond}, the
 * standalone plugins) into the host's CNI bin dir: {@code cp} with each file replaced atomically (a
 * runtime exec'ing the old file meanwhile keeps it; the next exec sees the whole new one), mode
 * 0755, files already identical left alone, other files in the dir untouched.
 */
public final class CniInstaller {
  static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

  private CniInstaller() {}

  /** What happened to one file. */
  public record Installed(String name, long bytes, boolean changed) {
    @Override
    public String toString() {
      return (changed ? "installed " : "unchanged ") + name + " (" + bytes + " bytes)";
    }
  }

  /**
   * Installs every regular file of {@code source} (not its subdirectories) into {@code target}.
   *
   * @throws IllegalArgumentException when either directory is missing (the message names it)
   */
  public static List<Installed> install(Path source, Path target) throws IOException {
    requireDirectory("source", source);
    requireDirectory("target", target);
    AtomicFiles.removeTempFiles(target);
    List<Path> files;
    try (Stream<Path> entries = Files.list(source)) {
      files =
          entries.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
    List<Installed> result = new ArrayList<>();
    for (Path file : files) {
      Path dest = target.resolve(file.getFileName().toString());
      boolean same =
          Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS)
              && Files.getPosixFilePermissions(dest, LinkOption.NOFOLLOW_LINKS).equals(EXECUTABLE)
              && Files.mismatch(file, dest) == -1;
      if (!same) {
        AtomicFiles.copy(file, dest, EXECUTABLE);
      }
      result.add(new Installed(file.getFileName().toString(), Files.size(file), !same));
    }
    return result;
  }

  private static void requireDirectory(String role, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(role + " directory " + dir + " does not exist");
    }
  }
}
