package io.sriov.core.json;

/**
 * Go's {@code json.Indent(dst, src, prefix, indent)} from {@code encoding/json}, byte for byte: the
 * JSON is validated, whitespace outside strings is dropped (leading whitespace too; trailing
 * whitespace after the value is kept), each element and member starts on a new line with {@code
 * prefix} and one {@code indent} per level, {@code ": "} after a key, empty objects and arrays stay
 * {@code {}} and {@code []}, and every literal (strings with their escapes, numbers as written) is
 * copied unchanged. Upstream's operator formats a NetworkAttachmentDefinition's CNI config this way
 * before storing it. Stateless.
 */
public final class GoJsonIndent {
  private GoJsonIndent() {}

  /**
   * {@code src} indented.
   *
   * @throws IllegalArgumentException when {@code src} is not one JSON value; the message is Go's
   *     ({@code invalid character 'f' looking for beginning of value}, {@code unexpected end of
   *     JSON input})
   */
  public static String indent(String src, String prefix, String indent) {
    new Validator(src).validate();
    StringBuilder dst = new StringBuilder(src.length() * 2);
    boolean needIndent = false;
    boolean inString = false;
    boolean started = false;
    int depth = 0;
    for (int i = 0; i < src.length(); i++) {
      char c = src.charAt(i);
      if (inString) {
        dst.append(c);
        if (c == '\\') {
          dst.append(src.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (isSpace(c)) {
        if (started && depth == 0 && !needIndent && atTopLevelEnd(src, i)) {
          dst.append(c);
        }
        continue;
      }
      started = true;
      if (needIndent && c != '}' && c != ']') {
        needIndent = false;
        depth++;
        newline(dst, prefix, indent, depth);
      }
      switch (c) {
        case '{', '[' -> {
          needIndent = true;
          dst.append(c);
        }
        case ',' -> {
          dst.append(c);
          newline(dst, prefix, indent, depth);
        }
        case ':' -> dst.append(c).append(' ');
        case '}', ']' -> {
          if (needIndent) {
            needIndent = false;
          } else {
            depth--;
            newline(dst, prefix, indent, depth);
          }
          dst.append(c);
        }
        case '"' -> {
          inString = true;
          dst.append(c);
        }
        default -> dst.append(c);
      }
    }
    return dst.toString();
  }

  /** True when only whitespace follows position {@code i} (the value has ended). */
  private static boolean atTopLevelEnd(String src, int i) {
    for (int j = i; j < src.length(); j++) {
      if (!isSpace(src.charAt(j))) {
        return false;
      }
    }
    return true;
  }

  private static void newline(StringBuilder dst, String prefix, String indent, int depth) {
    dst.append('\n').append(prefix);
    dst.append(indent.repeat(depth));
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** Go's scanner grammar and its error messages, by recursive descent. */
  private static final class Validator {
    private final String s;
    private int i;

    Validator(String s) {
      this.s = s;
    }

    void validate() {
      skip();
      value("looking for beginning of value");
      skip();
      if (i < s.length()) {
        throw error("after top-level value");
      }
    }

    private void value(String context) {
      if (i >= s.length()) {
        throw eof();
      }
      char c = s.charAt(i);
      switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true");
        case 'f' -> literal("false");
        case 'n' -> literal("null");
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            number();
          } else {
            throw error(context);
          }
        }
      }
    }

    private void object() {
      i++;
      skip();
      if (peek() == '}') {
        i++;
        return;
      }
      while (true) {
        if (i >= s.length()) {
          throw eof();
        }
        if (s.charAt(i) != '"') {
          throw error("looking for beginning of object key string");
        }
        string();
        skip();
        if (i >= s.length()) {
          throw eof();
        }
        if (s.charAt(i) != ':') {
          throw error("after object key");
        }
        i++;
        skip();
        value("looking for beginning of value");
        skip();
        if (i >= s.length()) {
          throw eof();
        }
        char c = s.charAt(i++);
        if (c == '}') {
          return;
        }
        if (c != ',') {
          i--;
          throw error("after object key:value pair");
        }
        skip();
      }
    }

    private void array() {
      i++;
      skip();
      if (peek() == ']') {
        i++;
        return;
      }
      while (true) {
        value("looking for beginning of value");
        skip();
        if (i >= s.length()) {
          throw eof();
        }
        char c = s.charAt(i++);
        if (c == ']') {
          return;
        }
        if (c != ',') {
          i--;
          throw error("after array element");
        }
        skip();
      }
    }

    private void string() {
      i++;
      while (true) {
        if (i >= s.length()) {
          throw eof();
        }
        char c = s.charAt(i);
        if (c == '"') {
          i++;
          return;
        }
        if (c < 0x20) {
          throw error("in string literal");
        }
        if (c == '\\') {
          i++;
          if (i >= s.length()) {
            throw atEof("in string escape code");
          }
          char e = s.charAt(i);
          if (e == 'u') {
            for (int k = 0; k < 4; k++) {
              i++;
              if (i >= s.length()) {
                throw atEof("in \\u hexadecimal character escape");
              }
              if (Character.digit(s.charAt(i), 16) < 0) {
                throw error("in \\u hexadecimal character escape");
              }
            }
          } else if ("\"\\/bfnrt".indexOf(e) < 0) {
            throw error("in string escape code");
          }
        }
        i++;
      }
    }

    private void literal(String word) {
      for (int k = 0; k < word.length(); k++, i++) {
        String context = "in literal " + word + " (expecting " + quote(word.charAt(k)) + ")";
        if (i >= s.length()) {
          throw atEof(context);
        }
        if (s.charAt(i) != word.charAt(k)) {
          throw error(context);
        }
      }
    }

    private void number() {
      if (peek() == '-') {
        i++;
        if (i >= s.length()) {
          throw atEof("in numeric literal");
        }
        if (!digit(s.charAt(i))) {
          throw error("in numeric literal");
        }
      }
      if (peek() == '0') {
        i++;
      } else {
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
      }
      if (peek() == '.') {
        i++;
        if (i >= s.length()) {
          throw atEof("after decimal point in numeric literal");
        }
        if (!digit(s.charAt(i))) {
          throw error("after decimal point in numeric literal");
        }
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
      }
      if (peek() == 'e' || peek() == 'E') {
        i++;
        if (peek() == '+' || peek() == '-') {
          i++;
        }
        if (i >= s.length()) {
          throw atEof("in exponent of numeric literal");
        }
        if (!digit(s.charAt(i))) {
          throw error("in exponent of numeric literal");
        }
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
      }
    }

    private static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : 0;
    }

    private void skip() {
      while (i < s.length() && isSpace(s.charAt(i))) {
        i++;
      }
    }

    private IllegalArgumentException error(String context) {
      return new IllegalArgumentException(
          "invalid character " + quote(s.charAt(i)) + " " + context);
    }

    /**
     * Go's scanner ends the input by stepping a space: where a space is not allowed, the error
     * names it.
     */
    private static IllegalArgumentException atEof(String context) {
      return new IllegalArgumentException("invalid character ' ' " + context);
    }

    private static IllegalArgumentException eof() {
      return new IllegalArgumentException("unexpected end of JSON input");
    }

    /** Go's {@code quoteChar}. */
    private static String quote(char c) {
      if (c == '\'') {
        return "'\\''";
      }
      if (c == '"') {
        return "'\"'";
      }
      if (c < 0x20 || c == 0x7f) {
        return switch (c) {
          case '\n' -> "'\\n'";
          case '\t' -> "'\\t'";
          case '\r' -> "'\\r'";
          default -> String.format("'\\x%02x'", (int) c);
        };
      }
      return "'" + c + "'";
    }
  }
}
