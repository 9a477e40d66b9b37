package io.sriov.cni.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.cni.server.wire.Frames.Frame;
import io.sriov.cni.server.wire.WireFormat.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramesTest {
  private static final CniCall CALL =
      new CniCall(
          "sriov",
          Map.of("CNI_COMMAND", "ADD", "CNI_IFNAME", "net1"),
          "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));

  @Test
  void aRequestHasTheDocumentedBytes() throws IOException {
    CniCall call = new CniCall("bond", Map.of("CNI_COMMAND", "DEL"), new byte[] {'{', '}'});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frames.writeRequest(out, call);
    assertThat(HexFormat.of().formatHex(out.toByteArray()))
        .isEqualTo(
            "53434e49"
                + "01"
                + "01"
                + "0000"
                + "00000020" // header, body 32 bytes
                + "04"
                + "626f6e64" // "bond"
                + "0001"
                + "0000000f"
                + "434e495f434f4d4d414e443d44454c" // CNI_COMMAND=DEL
                + "00000002"
                + "7b7d"); // stdin "{}"
  }

  @Test
  void aRequestRoundTrips() throws IOException {
    assertThat(Frames.readRequest(in(request(CALL)))).contains(CALL);
  }

  @Test
  void anAnswerHasTheDocumentedBytesAndRoundTrips() throws IOException {
    CniAnswer answer = new CniAnswer(7, new byte[] {0, 'x'}, new byte[] {'e'});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frames.writeAccepted(out);
    Frames.writeAnswer(out, answer);
    assertThat(HexFormat.of().formatHex(out.toByteArray()))
        .isEqualTo(
            "53434e49010200000000000"
                + "0" // accepted, empty
                + "53434e49010300000000000c" // answer, 12 bytes
                + "07"
                + "00000002"
                + "0078"
                + "00000001"
                + "65");
    ByteArrayInputStream in = in(out.toByteArray());
    Frame accepted = Frames.readServerFrame(in).orElseThrow();
    assertThat(accepted.kind()).isEqualTo(Kind.ACCEPTED);
    Frame frame = Frames.readServerFrame(in).orElseThrow();
    assertThat(frame.kind()).isEqualTo(Kind.ANSWER);
    assertThat(Frames.decodeAnswer(frame.body())).isEqualTo(answer);
    assertThat(Frames.readServerFrame(in)).isEmpty();
  }

  @Test
  void anEmptyStreamIsNoRequest() throws IOException {
    assertThat(Frames.readRequest(in(new byte[0]))).isEmpty();
  }

  @Test
  void headerErrorsNameTheField() {
    byte[] ok = request(CALL);
    assertMalformed(Arrays.copyOf(ok, 5), "the connection closed after 5 of the header's 12 bytes");
    assertMalformed(with(ok, 0, (byte) 'X'), "bad magic 0x58434e49 (expected \"SCNI\")");
    assertMalformed(with(ok, 4, (byte) 2), "protocol version 2 (this side speaks 1)");
    assertMalformed(with(ok, 5, (byte) 3), "frame kind 3 where a request (1) was expected");
    assertMalformed(with(ok, 5, (byte) 9), "frame kind 9 where a request (1) was expected");
    assertMalformed(with(ok, 7, (byte) 1), "reserved header bytes are not zero");
    assertMalformed(
        withInt(ok, 8, WireFormat.MAX_REQUEST_BODY + 1),
        "a request body of 6291457 bytes (the limit is 6291456)");
    assertMalformed(
        withInt(ok, 8, -1), "a request body of 4294967295 bytes (the limit is 6291456)");
    assertMalformed(
        Arrays.copyOf(ok, ok.length - 3),
        "the connection closed after "
            + (ok.length - 15)
            + " of the body's "
            + (ok.length - 12)
            + " bytes");
  }

  @Test
  void bodyErrorsNameTheField() {
    assertBody(body(0, "", new String[0], 0, ""), "plugin name of 0 bytes (1 to 32 allowed)");
    assertBody(
        body(33, "a".repeat(33), new String[0], 0, ""),
        "plugin name of 33 bytes (1 to 32 allowed)");
    assertBody(
        body(5, "Sriov", new String[0], 0, ""),
        "plugin name \"Sriov\" is not lower-case letters, digits, '-' and '_'");
    assertBody(
        body(4, "../x", new String[0], 0, ""),
        "plugin name \"../x\" is not lower-case letters, digits, '-' and '_'");
    assertBody(body(5, "sriov", new String[65], 0, ""), "65 environment entries (the limit is 64)");
    assertBody(
        body(5, "sriov", new String[] {"CNI_ARGS=" + "x".repeat(16384)}, 0, ""),
        "environment entry 0 of 16393 bytes (the limit is 16384)");
    assertBody(
        body(5, "sriov", new String[] {"CNI_COMMAND=ADD", "=x"}, 0, ""),
        "environment entry 1 is not NAME=VALUE");
    assertBody(
        body(5, "sriov", new String[] {"NOEQUALS"}, 0, ""),
        "environment entry 0 is not NAME=VALUE");
    assertBody(
        body(5, "sriov", new String[] {"CNI-X=1"}, 0, ""), "environment entry 0 is not NAME=VALUE");
    assertBody(
        body(5, "sriov", new String[] {"CNI_X=a\0b"}, 0, ""),
        "environment entry 0 contains a NUL byte");
    assertBody(
        body(5, "sriov", new String[] {"CNI_X=1", "CNI_X=2"}, 0, ""),
        "environment variable CNI_X appears twice");
    assertBody(
        body(5, "sriov", new String[0], WireFormat.MAX_STDIN + 1, ""),
        "stdin of 4194305 bytes (the limit is 4194304)");
    assertBody(
        body(5, "sriov", new String[0], 10, "{}"),
        "the request's fields run past its 14-byte body");
    assertBody(
        concat(body(5, "sriov", new String[0], 2, "{}"), new byte[] {1, 2}),
        "2 bytes left over after the request's stdin");
    byte[] badUtf8 = body(5, "sriov", new String[] {"CNI_X=ab"}, 0, "");
    badUtf8[badUtf8.length - 5] = (byte) 0xff;
    assertBody(badUtf8, "environment entry 0 is not valid UTF-8");
  }

  @Test
  void answerErrorsNameTheField() {
    assertAnswer(new byte[] {0, 0, 0}, "the answer's fields run past its 3-byte body");
    assertAnswer(
        ByteBuffer.allocate(9).put((byte) 0).putInt(WireFormat.MAX_STDOUT + 1).array(),
        "stdout of 4194305 bytes (the limit is 4194304)");
    assertAnswer(
        ByteBuffer.allocate(9).put((byte) 0).putInt(0).putInt(WireFormat.MAX_STDERR + 1).array(),
        "stderr of 1048577 bytes (the limit is 1048576)");
    assertAnswer(
        ByteBuffer.allocate(10).put((byte) 0).putInt(0).putInt(0).array(),
        "1 bytes left over after the answer's stderr");
  }

  @Test
  void aServerFrameOfTheWrongKindOrSizeIsRefused() {
    byte[] request = request(CALL);
    assertThatThrownBy(() -> Frames.readServerFrame(in(request)))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("frame kind 1 where accepted (2) or answer (3) was expected");
    byte[] accepted =
        ByteBuffer.allocate(13)
            .put("SCNI".getBytes())
            .put((byte) 1)
            .put((byte) 2)
            .putShort((short) 0)
            .putInt(1)
            .array();
    assertThatThrownBy(() -> Frames.readServerFrame(in(accepted)))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("a accepted body of 1 bytes (the limit is 0)");
  }

  @Test
  void anAnswerPastTheLimitsIsNotWritten() {
    CniAnswer big = new CniAnswer(0, new byte[WireFormat.MAX_STDOUT + 1], new byte[0]);
    assertThatThrownBy(() -> Frames.writeAnswer(new ByteArrayOutputStream(), big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("answer past the limits: stdout 4194305, stderr 0");
  }

  private static void assertMalformed(byte[] frame, String message) {
    assertThatThrownBy(() -> Frames.readRequest(in(frame)))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage(message);
  }

  private static void assertBody(byte[] body, String message) {
    assertThatThrownBy(() -> Frames.decodeRequest(body))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage(message);
  }

  private static void assertAnswer(byte[] body, String message) {
    assertThatThrownBy(() -> Frames.decodeAnswer(body))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage(message);
  }

  /** A request body with the given (possibly inconsistent) lengths. */
  private static byte[] body(
      int nameLength, String name, String[] env, int stdinLength, String stdin) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(nameLength);
    b.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    b.write(env.length >>> 8);
    b.write(env.length);
    for (String e : env) {
      byte[] bytes = (e == null ? "CNI_X=1" : e).getBytes(StandardCharsets.UTF_8);
      b.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      b.writeBytes(bytes);
    }
    b.writeBytes(ByteBuffer.allocate(4).putInt(stdinLength).array());
    b.writeBytes(stdin.getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  private static byte[] request(CniCall call) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Frames.writeRequest(out, call);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static byte[] with(byte[] frame, int at, byte value) {
    byte[] copy = frame.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] withInt(byte[] frame, int at, int value) {
    byte[] copy = frame.clone();
    ByteBuffer.wrap(copy).putInt(at, value);
    return copy;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static ByteArrayInputStream in(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }
}
