package io.sriov.os.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Writes files other processes read or that must survive a crash (state files, CNI device-info
 * files, CDI specs) so that a reader sees the old content or the new, never a part:
 *
 * <ol>
 *   <li>a temp file is created in the target's directory, exclusively ({@code O_CREAT|O_EXCL},
 *       which never follows a symlink, plus {@code O_NOFOLLOW}) under an unpredictable name ({@code
 *       .<name>.<16 hex digits>.tmp}, 64 bits from {@link SecureRandom}); a name already taken, by
 *       a leftover or by a symlink someone planted, is skipped for another;
 *   <li>its mode is set exactly (0600 unless the caller gives one; the umask does not apply),
 *       before any byte is written;
 *   <li>the bytes are written and {@code fsync}ed;
 *   <li>the temp file is renamed over the target ({@code rename(2)}: atomic; a symlink at the
 *       target is replaced, not followed);
 *   <li>the directory is {@code fsync}ed, so the rename itself survives a crash.
 * </ol>
 *
 * Missing directories are created. On failure the temp file is removed and the target is left as it
 * was. A crash can still leave a temp file behind: {@link #removeTempFiles} clears a directory of
 * them when its owner starts. The directory must not be writable by other users (no rename scheme
 * protects a file in a directory others may change).
 */
public final class AtomicFiles {
  /** {@code rw-------}, the default: state files are the daemon's own. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** {@code rw-r--r--}, for files other processes of other users read. */
  public static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  /**
   * {@code r--r--r--}, for files only read once written, by other users too (CNI device-info files,
   * as upstream writes them); replacing one needs no write bit, the rename replaces it.
   */
  public static final Set<PosixFilePermission> READ_ONLY =
      PosixFilePermissions.fromString("r--r--r--");

  /** How many taken temp names are skipped before giving up. */
  static final int ATTEMPTS = 8;

  /** The target name's first characters kept in a temp name (NAME_MAX is 255 bytes). */
  private static final int NAME_PREFIX_CHARS = 32;

  private static final Pattern TEMP_NAME = Pattern.compile("\\..*\\.[0-9a-f]{16}\\.tmp");
  private static final RandomGenerator RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code bytes}, mode 0600. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, OWNER_ONLY);
  }

  /** Replaces {@code target} with {@code bytes}, with exactly {@code mode}. */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode)
      throws IOException {
    write(target, bytes, mode, RANDOM);
  }

  /** As {@link #write(Path, byte[], Set)} with the temp names drawn from {@code random}. */
  static void write(
      Path target, byte[] bytes, Set<PosixFilePermission> mode, RandomGenerator random)
      throws IOException {
    replace(
        target,
        mode,
        random,
        ch -> {
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        });
  }

  /**
   * Replaces {@code target} with a copy of {@code source}'s content, with exactly {@code mode}, as
   * {@link #write(Path, byte[], Set)} does (streamed: for files too large to hold in memory).
   */
  public static void copy(Path source, Path target, Set<PosixFilePermission> mode)
      throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      replace(
          target,
          mode,
          RANDOM,
          ch -> {
            long size = in.size();
            for (long done = 0; done < size; ) {
              long n = in.transferTo(done, size - done, ch);
              if (n <= 0) {
                throw new IOException("copy of " + source + " stopped at byte " + done);
              }
              done += n;
            }
          });
    }
  }

  /** What goes into the temp file. */
  private interface Content {
    void writeTo(FileChannel ch) throws IOException;
  }

  private static void replace(
      Path target, Set<PosixFilePermission> mode, RandomGenerator random, Content content)
      throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    if (dir == null || file.getFileName() == null) {
      throw new FileSystemException(target.toString(), null, "not a file path");
    }
    createDirectory(file, dir);
    Temp temp = createTemp(file, dir, random);
    Path tmp = temp.path();
    try {
      try (FileChannel ch = temp.channel()) {
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setPermissions(mode);
        content.writeTo(ch);
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * Removes the temp files {@link #write} left in {@code dir} (a crash between create and rename);
   * call it before any writer of that directory starts. Only names of the temp form are touched, a
   * symlink of that form is removed itself, directories are left alone.
   *
   * @return the removed paths, for the caller's log; empty when {@code dir} does not exist
   */
  public static List<Path> removeTempFiles(Path dir) throws IOException {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(
            dir, p -> TEMP_NAME.matcher(p.getFileName().toString()).matches())) {
      for (Path p : entries) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
          removed.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    removed.sort(null);
    return removed;
  }

  /** {@code .<name>.<16 hex digits>.tmp}, the name's start only when it is long. */
  static String tempName(String fileName, RandomGenerator random) {
    String name = fileName;
    if (name.length() > NAME_PREFIX_CHARS) {
      int end = NAME_PREFIX_CHARS;
      if (Character.isHighSurrogate(name.charAt(end - 1))) {
        end--;
      }
      name = name.substring(0, end);
    }
    return "." + name + "." + HexFormat.of().toHexDigits(random.nextLong()) + ".tmp";
  }

  private static void createDirectory(Path file, Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return; // the common case: one stat, not createDirectories' refused mkdir and its exception
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new FileSystemException(file.toString(), null, existing + " is not a directory");
    }
    Files.createDirectories(dir);
  }

  private record Temp(Path path, FileChannel channel) {}

  private static Temp createTemp(Path file, Path dir, RandomGenerator random) throws IOException {
    Set<OpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    Path last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      last = dir.resolve(tempName(file.getFileName().toString(), random));
      try {
        // Created with at most the owner's bits; the exact mode is set before writing.
        return new Temp(
            last,
            FileChannel.open(last, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY)));
      } catch (FileAlreadyExistsException e) {
        // A leftover, or a planted symlink: never used, try another name.
      }
    }
    throw new FileAlreadyExistsException(
        String.valueOf(last),
        null,
        "cannot create a temp file for " + file + ": " + ATTEMPTS + " random names were taken");
  }
}
