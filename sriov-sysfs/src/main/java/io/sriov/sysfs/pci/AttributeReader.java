package io.sriov.sysfs.pci;

/** Parses attribute text, turning malformed values into {@link SkipException}s naming them. */
final class AttributeReader {
  private AttributeReader() {}

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

  static String shorten(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > 40 ? b + "..." : b.toString();
  }
}
