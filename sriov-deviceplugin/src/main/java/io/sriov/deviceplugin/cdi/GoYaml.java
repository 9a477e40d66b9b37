package io.sriov.deviceplugin.cdi;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * How go-yaml v2 (behind sigs.k8s.io/yaml, which upstream's CDI library writes specs with) emits a
 * string scalar in block context: plain when that reads back as the same string, else double
 * quoted. Covers what a CDI spec of this plugin holds (device IDs, paths, kinds, env entries);
 * anything outside a conservative plain set is quoted, which any YAML reader reads the same.
 */
final class GoYaml {
  private GoYaml() {}

  /** Characters a plain scalar of ours may hold (no indicator needs looking at). */
  private static final Pattern SAFE_PLAIN = Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9_./:=+-]*");

  /** go-yaml v2's YAML 1.1 int and float forms, which a plain scalar would read back as. */
  private static final Pattern NUMBER =
      Pattern.compile(
          "[-+]?(0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*|"
              + "(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?)");

  /** go-yaml v2's {@code isBase60Float}: quoted although plain would read back as a string. */
  private static final Pattern BASE60_FLOAT =
      Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");

  /** go-yaml v2's resolve table words (bools, null, inf, nan). */
  private static final Set<String> WORDS =
      Set.of(
          "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
          "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
          "~", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
          ".NaN", ".NAN", "<<");

  static String scalar(String s) {
    if (SAFE_PLAIN.matcher(s).matches()
        && !WORDS.contains(s)
        && !NUMBER.matcher(s).matches()
        && !BASE60_FLOAT.matcher(s).matches()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
