package io.sriov.sysfs.pci;

import static io.sriov.sysfs.pci.AttributeReader.decimal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An open device directory. Attributes are opened directly, without listing the directory first: an
 * absent optional attribute costs one failed open (cheaper than a listing of a device's 30-40
 * entries), and a required one that is absent is told apart from a device that left meanwhile only
 * when it happens. Close it when done (it may hold a directory descriptor).
 */
final class DeviceDir implements AutoCloseable {
  private final SysfsDir dir;
  final Path path;
  private Set<String> listing;

  /** The pool the reader of a top-level directory goes back to on close; null for a sub. */
  private final SysfsReader.Pool pool;

  private final SysfsReader reader;

  private DeviceDir(SysfsDir dir, SysfsReader.Pool pool, SysfsReader reader) {
    this.dir = dir;
    this.path = dir.path();
    this.pool = pool;
    this.reader = reader;
  }

  /**
   * The directory, read with a reader taken from {@code readers} until it is closed; null when it
   * does not exist (dangling link, removed meanwhile).
   */
  static DeviceDir open(SysfsReader.Pool readers, Path path) throws SkipException {
    SysfsReader reader = readers.take();
    SysfsDir d = null;
    try {
      d = reader.open(path);
    } catch (IOException e) {
      throw new SkipException("directory unreadable (" + e.getMessage() + ")");
    } finally {
      if (d == null) {
        readers.give(reader);
      }
    }
    return d == null ? null : new DeviceDir(d, readers, reader);
  }

  /** A subdirectory ({@code net/ens1f0}, {@code virtio3}); null when absent. */
  DeviceDir sub(String name) throws SkipException {
    try {
      SysfsDir d = dir.open(name);
      return d == null ? null : new DeviceDir(d, null, null);
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  /** The directory's entry names, listed once (for {@code virtfnN} links and child devices). */
  Set<String> listing() throws SkipException {
    if (listing == null) {
      try {
        listing = dir.list();
      } catch (IOException e) {
        throw new SkipException("directory unreadable (" + e.getMessage() + ")");
      }
    }
    return listing;
  }

  private Map<String, String> uevent;
  private boolean ueventRead;

  /** {@code uevent} as KEY=value pairs, read once; null when the directory has none. */
  Map<String, String> uevent() throws SkipException {
    if (!ueventRead) {
      ueventRead = true;
      Optional<String> text = optional("uevent");
      if (text.isPresent()) {
        // Lines scanned in place (no split: its array and line strings, for every device read).
        String t = text.get();
        Map<String, String> m = new HashMap<>();
        int start = 0;
        while (start < t.length()) {
          int end = t.indexOf('\n', start);
          if (end < 0) {
            end = t.length();
          }
          int eq = t.indexOf('=', start);
          if (eq > start && eq < end) {
            m.put(t.substring(start, eq), t.substring(eq + 1, end));
          }
          start = end + 1;
        }
        uevent = m;
      }
    }
    return uevent;
  }

  /** Reads a file relative to this directory (names with several components, e.g. "a/b"). */
  String read(String relative) throws IOException {
    return dir.read(relative);
  }

  /**
   * An attribute the kernel may refuse to show (carrier and speed of a down link give EINVAL,
   * phys_port_name gives EOPNOTSUPP) or that may be absent: empty on any error or when blank.
   */
  Optional<String> lenient(String relative) {
    try {
      String s = dir.readIfPresent(relative);
      return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** An attribute every such device has: absent, the device is skipped naming it. */
  String required(String name) throws SkipException {
    try {
      return dir.read(name);
    } catch (NoSuchFileException e) {
      throw new SkipException(
          name + (Files.isDirectory(path) ? ": missing" : ": removed during discovery"));
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  Optional<String> optional(String name) throws SkipException {
    try {
      return Optional.ofNullable(dir.readIfPresent(name));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // a directory on the way vanished
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  OptionalInt optionalDecimal(String name) throws SkipException {
    Optional<String> s = optional(name);
    return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(decimal(name, s.get()));
  }

  Optional<Path> link(String name) throws SkipException {
    try {
      return Optional.ofNullable(dir.readLinkIfPresent(name));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (NotLinkException e) {
      throw new SkipException(name + ": not a symbolic link");
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable link (" + e.getMessage() + ")");
    }
  }

  /** Sorted entry names of a subdirectory; empty when absent. */
  List<String> list(String name) throws SkipException {
    try (SysfsDir d = dir.open(name)) {
      if (d == null) {
        return List.of();
      }
      Set<String> e = d.list();
      if (e.isEmpty()) {
        return List.of();
      }
      List<String> out = new ArrayList<>(e);
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  @Override
  public void close() {
    dir.close();
    if (pool != null) {
      pool.give(reader);
    }
  }
}
