package io.sriov.cluster.nad;

/**
 * What a YAML parser makes of the text inside a single-quoted flow scalar ({@code config: '...'} in
 * upstream's NAD templates): each line break with the white space around it becomes one space, or
 * as many newlines as blank lines follow it; {@code ''} is one quote. A lone quote would end the
 * scalar early and fail upstream's render.
 */
final class YamlSingleQuoted {
  private YamlSingleQuoted() {}

  /**
   * @throws IllegalArgumentException when {@code text} holds a quote that is not doubled
   */
  static String fold(String text) {
    String[] lines = text.split("\n", -1);
    int last = lines.length - 1;
    StringBuilder out = new StringBuilder(text.length());
    out.append(last == 0 ? lines[0] : stripTrailing(lines[0]));
    int i = 1;
    while (i <= last) {
      int blanks = 0;
      while (i < last && stripLeading(lines[i]).isEmpty()) {
        blanks++;
        i++;
      }
      String line = stripLeading(lines[i]);
      if (i < last) {
        line = stripTrailing(line);
      }
      out.append(blanks == 0 ? " " : "\n".repeat(blanks)).append(line);
      i++;
    }
    return unquote(out.toString());
  }

  private static String unquote(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
          i++;
        } else {
          throw new IllegalArgumentException(
              "a single quote (') in the network's configuration ends upstream's single-quoted"
                  + " YAML scalar early: double it ('') or remove it");
        }
      }
      b.append(c);
    }
    return b.toString();
  }

  private static boolean white(char c) {
    return c == ' ' || c == '\t';
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && white(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  private static String stripTrailing(String s) {
    int i = s.length();
    while (i > 0 && white(s.charAt(i - 1))) {
      i--;
    }
    return s.substring(0, i);
  }
}
