package io.sriov.os.files;

import io.sriov.os.Errno;
import io.sriov.os.Libc;
import io.sriov.os.SyscallException;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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
    Libc libc = Libc.available().orElse(null);
    if (libc != null) {
      writeNative(libc, target, bytes, mode, random);
    } else {
      writePortable(target, bytes, mode, random);
    }
  }

  /** The portable write through java.nio, where libc is not bound (and the tests' comparison). */
  static void writePortable(
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
   * The whole content of a small file (a state file this class wrote); empty when there is none. An
   * absent file is an answer here, not an exception: through libc it is an {@code open} that says
   * ENOENT (java.nio would build and throw a {@link NoSuchFileException} for it); other failures
   * throw, a failing call as its {@link SyscallException}.
   */
  public static Optional<byte[]> readIfPresent(Path file) throws IOException {
    Libc libc = Libc.available().orElse(null);
    if (libc == null) {
      try {
        return Optional.of(Files.readAllBytes(file));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }
    int fd = libc.tryOpen(file.toString(), Libc.O_RDONLY);
    if (fd < 0) {
      if (-fd == ENOENT) {
        return Optional.empty();
      }
      throw new SyscallException("open " + file, Errno.of(-fd));
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(READ_CHUNK);
    try {
      long address = libc.address(buf);
      byte[] out = new byte[0];
      long n;
      while ((n = libc.read(fd, address, READ_CHUNK, "read", file)) > 0) {
        int len = out.length;
        out = Arrays.copyOf(out, len + (int) n);
        buf.get(0, out, len, (int) n);
      }
      return Optional.of(out);
    } finally {
      libc.closeQuietly(fd); // read-only: nothing to report
      Reference.reachabilityFence(buf);
    }
  }

  private static final int ENOENT = Errno.ENOENT.number();

  /** A state file fits in one read; larger files take more. */
  private static final int READ_CHUNK = 16 * 1024;

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

  /**
   * The same steps through one descriptor of the directory: the temp file is created, renamed and
   * removed relative to it ({@code openat}, {@code renameat}, {@code unlinkat}), its mode set with
   * {@code fchmod}, the directory's {@code fsync} done on it; names and content go to libc from one
   * direct buffer. A failing call throws its {@link io.sriov.os.SyscallException} (the call, the
   * path, the errno); the checks and messages of a missing or non-directory parent and of taken
   * temp names are the portable path's.
   */
  private static void writeNative(
      Libc libc, Path target, byte[] bytes, Set<PosixFilePermission> mode, RandomGenerator random)
      throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = directoryOf(target, file);
    String fileName = file.getFileName().toString();
    byte[] dirBytes = dir.toString().getBytes(StandardCharsets.UTF_8);
    byte[] nameBytes = fileName.getBytes(StandardCharsets.UTF_8);
    // [dir NUL][name NUL][temp name NUL][content]; a temp name is at most 22 bytes plus the name's.
    int nameOff = dirBytes.length + 1;
    int tempOff = nameOff + nameBytes.length + 1;
    int contentOff = tempOff + nameBytes.length + 23;
    ByteBuffer buf = ByteBuffer.allocateDirect(contentOff + bytes.length);
    buf.put(0, dirBytes).put(nameOff, nameBytes).put(contentOff, bytes);
    long base = libc.address(buf);
    int dirfd = -1;
    try {
      int dirFlags = Libc.O_RDONLY | libc.oDirectory();
      dirfd = libc.tryOpenat(Libc.AT_FDCWD, base, dirFlags);
      if (dirfd < 0) {
        createDirectory(file, dir); // the portable checks and messages, then the open again
        dirfd = libc.tryOpenat(Libc.AT_FDCWD, base, dirFlags);
        if (dirfd < 0) {
          throw new SyscallException("open " + dir, Errno.of(-dirfd));
        }
      }
      int createFlags = Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | libc.oNofollow();
      int fd = -1;
      String tempName = null;
      for (int i = 0; i < ATTEMPTS && fd < 0; i++) {
        tempName = tempName(fileName, random);
        byte[] t = tempName.getBytes(StandardCharsets.UTF_8);
        buf.put(tempOff, t).put(tempOff + t.length, (byte) 0);
        // Created with at most the owner's bits; the exact mode is set before writing.
        fd = libc.tryOpenat(dirfd, base + tempOff, createFlags, OWNER_ONLY_BITS);
        if (fd < 0 && -fd != EEXIST) {
          throw new SyscallException("create " + dir.resolve(tempName), Errno.of(-fd));
        }
        // EEXIST: a leftover, or a planted symlink: never used, try another name.
      }
      if (fd < 0) {
        throw namesTaken(dir.resolve(tempName), file);
      }
      InDir temp = new InDir(dir, tempName);
      boolean renamed = false;
      try {
        libc.fchmod(fd, bits(mode), "chmod", temp);
        for (int done = 0; done < bytes.length; ) {
          done +=
              (int) libc.write(fd, base + contentOff + done, bytes.length - done, "write", temp);
        }
        libc.fsync(fd, "fsync", temp);
        int written = fd;
        fd = -1;
        libc.close(written, "close", temp);
        libc.renameat(dirfd, base + tempOff, dirfd, base + nameOff, "rename", temp);
        renamed = true;
      } finally {
        if (fd >= 0) {
          libc.closeQuietly(fd);
        }
        if (!renamed) {
          libc.tryUnlinkat(dirfd, base + tempOff, 0);
        }
      }
      libc.fsync(dirfd, "fsync", dir);
    } finally {
      if (dirfd >= 0) {
        libc.closeQuietly(dirfd); // read-only: nothing to report
      }
      Reference.reachabilityFence(buf);
    }
  }

  private static final int EEXIST = Errno.EEXIST.number();
  private static final int OWNER_ONLY_BITS = 0600;

  /** {@code dir/name}, built only when a failure names it. */
  private record InDir(Path dir, String name) {
    @Override
    public String toString() {
      return dir.resolve(name).toString();
    }
  }

  /** The mode bits of {@code mode}. */
  static int bits(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      bits |= 1 << (8 - p.ordinal()); // OWNER_READ (ordinal 0) is 0400 ... OTHERS_EXECUTE 01
    }
    return bits;
  }

  /** What goes into the temp file. */
  private interface Content {
    void writeTo(FileChannel ch) throws IOException;
  }

  private static void replace(
      Path target, Set<PosixFilePermission> mode, RandomGenerator random, Content content)
      throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = directoryOf(target, file);
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
    throw namesTaken(last, file);
  }

  /** The directory {@code file} ({@code target} made absolute) goes into. */
  private static Path directoryOf(Path target, Path file) throws FileSystemException {
    Path dir = file.getParent();
    if (dir == null || file.getFileName() == null) {
      throw new FileSystemException(target.toString(), null, "not a file path");
    }
    return dir;
  }

  /** Every temp name tried was taken ({@code last}: the last one tried). */
  private static FileAlreadyExistsException namesTaken(Path last, Path file) {
    return new FileAlreadyExistsException(
        String.valueOf(last),
        null,
        "cannot create a temp file for " + file + ": " + ATTEMPTS + " random names were taken");
  }
}
