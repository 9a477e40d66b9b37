package io.sriov.deviceplugin.allocate;

import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the {@code _INFO} JSON as upstream's Go code produces it ({@code encoding/json} on maps):
 * keys sorted, no spaces, and {@code <}, {@code >}, {@code &}, U+2028, U+2029 escaped as {@code
 * \\u003c}... as Go does. Hand-written because Allocate answers are precomputed for every device at
 * each pool rebuild.
 */
final class GoJson {
  private GoJson() {}

  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** {@code {"k":"v",...}} with sorted keys. */
  static void flat(StringBuilder b, Map<String, String> m) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : sorted(m).entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      string(b, e.getKey());
      b.append(':');
      string(b, e.getValue());
    }
    b.append('}');
  }

  /** {@code {"provider":{...},...}} with sorted keys at both levels. */
  static void nested(StringBuilder b, Map<String, Map<String, String>> m) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<String, Map<String, String>> e : sorted(m).entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      string(b, e.getKey());
      b.append(':');
      flat(b, e.getValue());
    }
    b.append('}');
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return m instanceof TreeMap<String, V> ? m : new TreeMap<>(m);
  }
}
