package io.sriov.cni.server.wire;

import static io.sriov.cni.server.wire.WireFormat.HEADER_SIZE;
import static io.sriov.cni.server.wire.WireFormat.MAGIC;
import static io.sriov.cni.server.wire.WireFormat.VERSION;

import io.sriov.cni.server.wire.WireFormat.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes the frames of the CNI wire protocol ({@link WireFormat}). Every violation is a
 * {@link MalformedFrameException} whose message names the field and the value; nothing past a limit
 * is read into memory.
 */
public final class Frames {
  private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Frames() {}

  /** A frame as read: its kind and body. */
  public record Frame(Kind kind, byte[] body) {}

  /**
   * Reads one request frame; empty when the stream ends before its first byte (a client that
   * connected and left).
   *
   * @throws MalformedFrameException for a bad header, a body past the limits or inconsistent with
   *     its lengths, a truncated frame, or a frame of another kind
   */
  public static Optional<CniCall> readRequest(InputStream in) throws IOException {
    Optional<Frame> frame = readFrame(in, Kind.REQUEST);
    return frame.isEmpty() ? Optional.empty() : Optional.of(decodeRequest(frame.get().body()));
  }

  /**
   * Reads one frame of the server's side (accepted or answer); empty when the stream ends before
   * its first byte.
   */
  public static Optional<Frame> readServerFrame(InputStream in) throws IOException {
    return readFrame(in, null);
  }

  private static Optional<Frame> readFrame(InputStream in, Kind expected) throws IOException {
    byte[] header = in.readNBytes(HEADER_SIZE);
    if (header.length == 0) {
      return Optional.empty();
    }
    if (header.length < HEADER_SIZE) {
      throw new MalformedFrameException(
          "the connection closed after " + header.length + " of the header's 12 bytes");
    }
    ByteBuffer h = ByteBuffer.wrap(header);
    int magic = h.getInt();
    if (magic != ByteBuffer.wrap(MAGIC_BYTES).getInt()) {
      throw new MalformedFrameException(
          String.format("bad magic 0x%08x (expected \"%s\")", magic, MAGIC));
    }
    int version = Byte.toUnsignedInt(h.get());
    if (version != VERSION) {
      throw new MalformedFrameException(
          "protocol version " + version + " (this side speaks " + VERSION + ")");
    }
    int code = Byte.toUnsignedInt(h.get());
    Kind kind = kindOf(code);
    if (expected != null ? kind != expected : kind == null || kind == Kind.REQUEST) {
      throw new MalformedFrameException(
          "frame kind "
              + code
              + " where "
              + (expected != null
                  ? "a " + expected.name().toLowerCase() + " (" + expected.code() + ")"
                  : "accepted (2) or answer (3)")
              + " was expected");
    }
    if (h.getShort() != 0) {
      throw new MalformedFrameException("reserved header bytes are not zero");
    }
    long length = Integer.toUnsignedLong(h.getInt());
    long limit =
        switch (kind) {
          case REQUEST -> WireFormat.MAX_REQUEST_BODY;
          case ACCEPTED -> 0;
          case ANSWER -> WireFormat.MAX_ANSWER_BODY;
        };
    if (length > limit) {
      throw new MalformedFrameException(
          "a "
              + kind.name().toLowerCase()
              + " body of "
              + length
              + " bytes (the limit is "
              + limit
              + ")");
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new MalformedFrameException(
          "the connection closed after " + body.length + " of the body's " + length + " bytes");
    }
    return Optional.of(new Frame(kind, body));
  }

  private static Kind kindOf(int code) {
    for (Kind k : Kind.values()) {
      if (k.code() == code) {
        return k;
      }
    }
    return null;
  }

  /** Decodes a request body. */
  public static CniCall decodeRequest(byte[] body) throws MalformedFrameException {
    ByteBuffer b = ByteBuffer.wrap(body);
    try {
      int nameLength = Byte.toUnsignedInt(b.get());
      if (nameLength == 0 || nameLength > WireFormat.MAX_NAME) {
        throw new MalformedFrameException(
            "plugin name of " + nameLength + " bytes (1 to " + WireFormat.MAX_NAME + " allowed)");
      }
      String name = utf8(bytes(b, nameLength), "the plugin name");
      if (!WireFormat.isPluginName(name)) {
        throw new MalformedFrameException(
            "plugin name \"" + name + "\" is not lower-case letters, digits, '-' and '_'");
      }
      int count = Short.toUnsignedInt(b.getShort());
      if (count > WireFormat.MAX_ENV_ENTRIES) {
        throw new MalformedFrameException(
            count + " environment entries (the limit is " + WireFormat.MAX_ENV_ENTRIES + ")");
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        long length = Integer.toUnsignedLong(b.getInt());
        if (length > WireFormat.MAX_ENV_ENTRY) {
          throw new MalformedFrameException(
              "environment entry "
                  + i
                  + " of "
                  + length
                  + " bytes (the limit is "
                  + WireFormat.MAX_ENV_ENTRY
                  + ")");
        }
        String entry = utf8(bytes(b, (int) length), "environment entry " + i);
        int eq = entry.indexOf('=');
        if (eq <= 0 || !ENV_NAME.matcher(entry.substring(0, eq)).matches()) {
          throw new MalformedFrameException("environment entry " + i + " is not NAME=VALUE");
        }
        if (entry.indexOf('\0') >= 0) {
          throw new MalformedFrameException("environment entry " + i + " contains a NUL byte");
        }
        String key = entry.substring(0, eq);
        if (env.put(key, entry.substring(eq + 1)) != null) {
          throw new MalformedFrameException("environment variable " + key + " appears twice");
        }
      }
      long stdinLength = Integer.toUnsignedLong(b.getInt());
      if (stdinLength > WireFormat.MAX_STDIN) {
        throw new MalformedFrameException(
            "stdin of " + stdinLength + " bytes (the limit is " + WireFormat.MAX_STDIN + ")");
      }
      byte[] stdin = bytes(b, (int) stdinLength);
      if (b.hasRemaining()) {
        throw new MalformedFrameException(
            b.remaining() + " bytes left over after the request's stdin");
      }
      return new CniCall(name, env, stdin);
    } catch (BufferUnderflowException e) {
      throw new MalformedFrameException(
          "the request's fields run past its " + body.length + "-byte body");
    }
  }

  /** Decodes an answer body. */
  public static CniAnswer decodeAnswer(byte[] body) throws MalformedFrameException {
    ByteBuffer b = ByteBuffer.wrap(body);
    try {
      int status = Byte.toUnsignedInt(b.get());
      byte[] stdout = bytes(b, length(b, WireFormat.MAX_STDOUT, "stdout"));
      byte[] stderr = bytes(b, length(b, WireFormat.MAX_STDERR, "stderr"));
      if (b.hasRemaining()) {
        throw new MalformedFrameException(
            b.remaining() + " bytes left over after the answer's stderr");
      }
      return new CniAnswer(status, stdout, stderr);
    } catch (BufferUnderflowException e) {
      throw new MalformedFrameException(
          "the answer's fields run past its " + body.length + "-byte body");
    }
  }

  private static int length(ByteBuffer b, int limit, String what) throws MalformedFrameException {
    long n = Integer.toUnsignedLong(b.getInt());
    if (n > limit) {
      throw new MalformedFrameException(what + " of " + n + " bytes (the limit is " + limit + ")");
    }
    return (int) n;
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    if (n > b.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static String utf8(byte[] bytes, String what) throws MalformedFrameException {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFrameException(what + " is not valid UTF-8");
    }
  }

  /** Writes a request frame (the shim's side; the server's tests use it). */
  public static void writeRequest(OutputStream out, CniCall call) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] name = call.plugin().getBytes(StandardCharsets.UTF_8);
    body.write(name.length);
    body.write(name);
    writeU16(body, call.env().size());
    for (Map.Entry<String, String> e : call.env().entrySet()) {
      writeBlock(body, (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
    }
    writeBlock(body, call.stdin());
    writeFrame(out, Kind.REQUEST, body.toByteArray());
  }

  /** Writes the empty frame that tells the shim its request is being run. */
  public static void writeAccepted(OutputStream out) throws IOException {
    writeFrame(out, Kind.ACCEPTED, new byte[0]);
  }

  /**
   * Writes an answer frame.
   *
   * @throws IllegalArgumentException when stdout or stderr is past its limit (the server bounds
   *     them before)
   */
  public static void writeAnswer(OutputStream out, CniAnswer answer) throws IOException {
    byte[] stdout = answer.stdout();
    byte[] stderr = answer.stderr();
    if (stdout.length > WireFormat.MAX_STDOUT || stderr.length > WireFormat.MAX_STDERR) {
      throw new IllegalArgumentException(
          "answer past the limits: stdout " + stdout.length + ", stderr " + stderr.length);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(9 + stdout.length + stderr.length);
    body.write(answer.exitStatus());
    writeBlock(body, stdout);
    writeBlock(body, stderr);
    writeFrame(out, Kind.ANSWER, body.toByteArray());
  }

  private static void writeFrame(OutputStream out, Kind kind, byte[] body) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE + body.length);
    h.put(MAGIC_BYTES).put((byte) VERSION).put((byte) kind.code()).putShort((short) 0);
    h.putInt(body.length).put(body);
    out.write(h.array());
    out.flush();
  }

  private static void writeU16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private static void writeBlock(ByteArrayOutputStream out, byte[] bytes) {
    ByteBuffer len = ByteBuffer.allocate(4).putInt(bytes.length);
    out.write(len.array(), 0, 4);
    out.write(bytes, 0, bytes.length);
  }
}
