package io.sriov.observability.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A byte buffer the Prometheus text format (0.0.4) is written into, with the few pieces the node's
 * many series need written without building a String per sample: a family's {@code # HELP} and
 * {@code # TYPE} lines, a series' labels encoded once ({@link #labels}) and then copied, and a
 * value written as Micrometer's Prometheus writer writes it ({@code Double.toString}, so the bytes
 * are the same as before: {@code 1500.0}, {@code 1.0E7}, {@code 1.8446744073709552E19}). The
 * buffer's array is handed out without a copy ({@link #array()}).
 */
public final class TextExposition extends ByteArrayOutputStream {
  /** Integral values below this print as digits and {@code .0} in {@code Double.toString}. */
  private static final long PLAIN_LIMIT = 10_000_000L;

  public TextExposition(int size) {
    super(size);
  }

  /** The array holding the first {@link #size()} bytes written (not a copy). */
  public byte[] array() {
    return buf;
  }

  /** {@code # HELP name help} and {@code # TYPE name type} (help and name from code: no escape). */
  public void family(String name, String help, String type) {
    ascii("# HELP ").ascii(name).ascii(" ").text(help).ascii("\n");
    ascii("# TYPE ").ascii(name).ascii(" ").ascii(type).ascii("\n");
  }

  /**
   * The bytes of a series' labels and the space before its value, {@code {a="x",b="y"} }, for
   * {@link #sample}: name/value pairs already in the order Prometheus's writer sorts them (by
   * name); values escaped as the text format wants (backslash, double quote, newline).
   */
  public static byte[] labels(String... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("labels must be name/value pairs: " + pairs.length);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.append(i == 0 ? '{' : ',').append(pairs[i]).append("=\"");
      String v = pairs[i + 1];
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        switch (c) {
          case '\\' -> b.append("\\\\");
          case '"' -> b.append("\\\"");
          case '\n' -> b.append("\\n");
          default -> b.append(c);
        }
      }
      b.append('"');
    }
    if (pairs.length > 0) {
      b.append('}');
    }
    return b.append(' ').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A metric name's bytes, for {@link #sample}. */
  public static byte[] name(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /** One sample line: the name, the labels (from {@link #labels}), the value, a newline. */
  public void sample(byte[] name, byte[] labels, long value) {
    write(name, 0, name.length);
    write(labels, 0, labels.length);
    if (value > -PLAIN_LIMIT && value < PLAIN_LIMIT) {
      digits(value);
      ascii(".0\n");
    } else {
      ascii(Double.toString((double) value)).ascii("\n");
    }
  }

  private void digits(long v) {
    if (v < 0) {
      write('-');
      v = -v;
    }
    int len = v == 0 ? 1 : (int) Math.log10(v) + 1;
    ensure(len);
    for (int i = count + len - 1; i >= count; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    count += len;
  }

  private void ensure(int more) {
    if (count + more > buf.length) {
      byte[] grown = new byte[Math.max(buf.length * 2, count + more)];
      System.arraycopy(buf, 0, grown, 0, count);
      buf = grown;
    }
  }

  private TextExposition ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[count++] = (byte) s.charAt(i); // ASCII only: names, types, numbers
    }
    return this;
  }

  private TextExposition text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    write(b, 0, b.length);
    return this;
  }
}
