package io.sriov.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Writes JSON byte for byte as Go's {@code encoding/json} ({@code json.Marshal}, Go 1.22 and later)
 * writes strings and string maps, for outputs that consumers compare with upstream's, such as the
 * device plugin's {@code PCIDEVICE_..._INFO} value:
 *
 * <ul>
 *   <li>map keys sorted by their UTF-8 bytes, no spaces;
 *   <li>{@code "} and backslash escaped; backspace, form feed, newline, carriage return and tab as
 *       their two-character escapes; other control characters as six-character u-escapes;
 *   <li>{@code <}, {@code >}, {@code &}, U+2028 and U+2029 as u-escapes too (Go's HTML-safe
 *       default);
 *   <li>an unpaired surrogate (invalid UTF-16, as invalid UTF-8 is to Go) as the u-escape of
 *       U+FFFD.
 * </ul>
 *
 * Hand-written rather than through Jackson because Allocate answers are precomputed for every
 * device at each pool rebuild. Stateless.
 */
public final class GoJsonWriter {
  /**
   * Go's map key order ({@code sort.Strings}: UTF-8 byte order, which is code point order). A
   * {@code TreeMap} built with it is written without copying.
   */
  public static final Comparator<String> KEY_ORDER = GoJsonWriter::compareCodePoints;

  private GoJsonWriter() {}

  /** Appends {@code s} as a JSON string. */
  public static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            b.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            b.append("\\ufffd");
          } else if (c < 0x20
              || c == '<'
              || c == '>'
              || c == '&'
              || c == '\u2028'
              || c == '\u2029') {
            b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]);
            b.append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** Appends {@code {"k":"v",...}}, keys in Go's order. */
  public static void stringMap(StringBuilder b, Map<String, String> m) {
    object(b, m, GoJsonWriter::string);
  }

  /** Appends {@code {"a":{"k":"v",...},...}}, keys in Go's order at both levels. */
  public static void nestedStringMap(StringBuilder b, Map<String, Map<String, String>> m) {
    object(b, m, GoJsonWriter::stringMap);
  }

  private static <V> void object(
      StringBuilder b, Map<String, V> m, BiConsumer<StringBuilder, V> value) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<String, V> e : sorted(m).entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      string(b, e.getKey());
      b.append(':');
      value.accept(b, e.getValue());
    }
    b.append('}');
  }

  /**
   * Writes {@code node} as Go's {@code json.MarshalIndent(v, "", indent)} writes a struct: object
   * keys in the node's order (a struct's field order, not sorted), one member per line, {@code ":
   * "} after a key, empty objects and arrays as {@code {}} and {@code []}, strings as {@link
   * #string}, no trailing newline. Numbers are written as Jackson holds them (integers as
   * integers).
   */
  public static String marshalIndent(JsonNode node, String indent) {
    StringBuilder b = new StringBuilder(256);
    indented(b, node, indent, 0);
    return b.toString();
  }

  private static void indented(StringBuilder b, JsonNode n, String indent, int depth) {
    if (n.isObject() || n.isArray()) {
      boolean object = n.isObject();
      if (n.isEmpty()) {
        b.append(object ? "{}" : "[]");
        return;
      }
      b.append(object ? '{' : '[');
      boolean first = true;
      Iterator<Map.Entry<String, JsonNode>> fields = object ? n.fields() : null;
      Iterator<JsonNode> items = object ? null : n.elements();
      while (object ? fields.hasNext() : items.hasNext()) {
        b.append(first ? "\n" : ",\n");
        first = false;
        b.append(indent.repeat(depth + 1));
        JsonNode value;
        if (object) {
          Map.Entry<String, JsonNode> e = fields.next();
          string(b, e.getKey());
          b.append(": ");
          value = e.getValue();
        } else {
          value = items.next();
        }
        indented(b, value, indent, depth + 1);
      }
      b.append('\n').append(indent.repeat(depth)).append(object ? '}' : ']');
    } else if (n.isTextual()) {
      string(b, n.textValue());
    } else {
      b.append(n.toString());
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    if (m instanceof SortedMap<String, V> s && s.comparator() == KEY_ORDER) {
      return m;
    }
    TreeMap<String, V> t = new TreeMap<>(KEY_ORDER);
    t.putAll(m);
    return t;
  }

  /**
   * UTF-16 order ({@link String#compareTo}) puts U+E000..U+FFFF after supplementary characters;
   * UTF-8 byte order, Go's, puts them before.
   */
  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
