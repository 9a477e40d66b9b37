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
 * A device directory listed once: attributes known absent are not opened (no exception per missing
 * file), and the ones that vanish between listing and reading count as a race.
 */
final class DeviceDir {
  final SysfsReader reader;
  final Path path;
  final Set<String> entries;

  DeviceDir(SysfsReader reader, Path path, Set<String> entries) {
    this.reader = reader;
    this.path = path;
    this.entries = entries;
  }

  /** A subdirectory ({@code net/ens1f0}, {@code virtio3}), listed; null when absent. */
  DeviceDir sub(String name) throws SkipException {
    return reader.dir(path.resolve(name));
  }

  private Map<String, String> uevent;
  private boolean ueventRead;

  /** {@code uevent} as KEY=value pairs, read once; null when the directory has none. */
  Map<String, String> uevent() throws SkipException {
    if (!ueventRead) {
      ueventRead = true;
      Optional<String> text = optional("uevent");
      if (text.isPresent()) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.get().split("\n")) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            m.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
        uevent = m;
      }
    }
    return uevent;
  }

  boolean has(String name) {
    return entries.contains(name);
  }

  /** Reads a file without consulting the listing (names with several components, e.g. "a/b"). */
  String read(String relative) throws IOException {
    return reader.read(path.resolve(relative));
  }

  /**
   * An attribute the kernel may refuse to show (carrier and speed of a down link give EINVAL,
   * phys_port_name gives EOPNOTSUPP) or that may be absent: empty on any error or when blank.
   */
  Optional<String> lenient(String relative) {
    try {
      String s = read(relative);
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  String required(String name) throws SkipException {
    if (!has(name)) {
      throw new SkipException(name + ": missing");
    }
    try {
      return read(name);
    } catch (NoSuchFileException e) {
      throw new SkipException(name + ": removed during discovery");
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  Optional<String> optional(String name) throws SkipException {
    if (!has(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(read(name));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  OptionalInt optionalDecimal(String name) throws SkipException {
    Optional<String> s = optional(name);
    return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(decimal(name, s.get()));
  }

  Optional<Path> link(String name) throws SkipException {
    if (!has(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readSymbolicLink(path.resolve(name)));
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
    if (!has(name)) {
      return List.of();
    }
    try {
      Set<String> e = reader.entries(path.resolve(name));
      if (e == null || e.isEmpty()) {
        return List.of();
      }
      List<String> out = new ArrayList<>(e);
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }
}
