package io.sriov.sysfs.pci;

import io.sriov.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads and parses attributes, turning missing or malformed required ones into {@link
 * SkipException} with a reason that names the attribute.
 */
final class AttributeReader {
  private AttributeReader() {}

  static String required(Path dir, String name) throws SkipException {
    try {
      return SysfsFiles.readRaw(dir.resolve(name));
    } catch (NoSuchFileException e) {
      throw new SkipException(name + ": missing");
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  static Optional<String> optional(Path dir, String name) throws SkipException {
    try {
      return SysfsFiles.read(dir.resolve(name));
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable (" + e.getMessage() + ")");
    }
  }

  /**
   * An attribute the kernel may refuse to show (carrier and speed of a down link give EINVAL,
   * phys_port_name gives EOPNOTSUPP): empty on any error.
   */
  static Optional<String> lenient(Path dir, String name) {
    try {
      return SysfsFiles.read(dir.resolve(name)).filter(s -> !s.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static int hex(String name, String text) throws SkipException {
    String t = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (t.isEmpty() || t.length() > 8) {
      throw new SkipException(name + ": \"" + shorten(text) + "\" is not a hex number");
    }
    try {
      return Integer.parseUnsignedInt(t, 16);
    } catch (NumberFormatException e) {
      throw new SkipException(name + ": \"" + shorten(text) + "\" is not a hex number");
    }
  }

  static int decimal(String name, String text) throws SkipException {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new SkipException(name + ": \"" + shorten(text) + "\" is not a number");
    }
  }

  static OptionalInt optionalDecimal(Path dir, String name) throws SkipException {
    Optional<String> s = optional(dir, name);
    return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(decimal(name, s.get()));
  }

  static Optional<Path> link(Path dir, String name) throws SkipException {
    try {
      return SysfsFiles.readLink(dir.resolve(name));
    } catch (IOException e) {
      throw new SkipException(name + ": unreadable link (" + e.getMessage() + ")");
    }
  }

  static String shorten(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > 40 ? b + "..." : b.toString();
  }
}
