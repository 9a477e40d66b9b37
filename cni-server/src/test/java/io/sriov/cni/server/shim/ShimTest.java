package io.sriov.cni.server.shim;

import static io.sriov.cni.server.testing.Shim.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.cni.server.testing.ScriptedServer;
import io.sriov.cni.server.testing.Shim;
import io.sriov.cni.server.wire.CniAnswer;
import io.sriov.cni.server.wire.CniCall;
import io.sriov.cni.server.wire.Frames;
import io.sriov.cni.server.wire.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native shim ({@code src/main/c/cni-shim.c}, built by this module) against scripted servers:
 * byte-exact relay, the fallback to the standalone plugin, timeouts, malformed answers, its
 * configuration file. The real server is in {@code ShimServerIT}.
 */
class ShimTest {
  private static final byte[] NETCONF =
      "{\"cniVersion\":\"0.4.0\",\"name\":\"net\",\"type\":\"sriov\",\"deviceID\":\"0000:00:12.0\"}\n"
          .getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  Path socket;
  Shim shim;

  @BeforeEach
  void install() {
    socket = tmp.resolve("cni.sock");
    shim = Shim.install(tmp.resolve("bin"), "sriov").config(config(20000));
  }

  private String config(int timeoutMs) {
    return "# test\nsocket = " + socket + "\n\ntimeout_ms=" + timeoutMs + "\n";
  }

  @Test
  void forwardsTheCallAndRelaysTheAnswerByteForByte() throws Exception {
    byte[] stdout = {'{', 0, (byte) 0xff, '\n', '}'};
    byte[] stderr = "log line\nsecond\n".getBytes(StandardCharsets.UTF_8);
    CompletableFuture<CniCall> seen = new CompletableFuture<>();
    try (ScriptedServer s =
        ScriptedServer.start(
            socket,
            (ch, in, out) -> {
              seen.complete(Frames.readRequest(in).orElseThrow());
              Frames.writeAccepted(out);
              Frames.writeAnswer(out, new CniAnswer(7, stdout, stderr));
            })) {
      Shim.Run run =
          shim.run(
              env("ADD", "PATH", "/usr/bin", "HOME", "/root", "CNI_ARGS", "IgnoreUnknown=1"),
              NETCONF);
      s.done().get(10, TimeUnit.SECONDS);
      assertThat(run.exit()).isEqualTo(7);
      assertThat(run.stdout()).isEqualTo(stdout);
      assertThat(run.stderr()).isEqualTo(stderr);
    }
    CniCall call = seen.get();
    assertThat(call.plugin()).isEqualTo("sriov");
    assertThat(call.env())
        .isEqualTo(
            Map.of(
                "CNI_COMMAND", "ADD",
                "CNI_CONTAINERID", "c0ffee",
                "CNI_NETNS", "/var/run/netns/pod",
                "CNI_IFNAME", "net1",
                "CNI_PATH", "/opt/cni/bin",
                "CNI_ARGS", "IgnoreUnknown=1"));
    assertThat(call.stdin()).isEqualTo(NETCONF);
  }

  @Test
  void thePluginNameIsTheProgramName() throws Exception {
    Shim bond = Shim.install(shim.dir(), "bond");
    CompletableFuture<String> name = new CompletableFuture<>();
    try (ScriptedServer s =
        ScriptedServer.start(
            socket,
            (ch, in, out) -> {
              name.complete(Frames.readRequest(in).orElseThrow().plugin());
              Frames.writeAccepted(out);
              Frames.writeAnswer(out, new CniAnswer(0, new byte[0], new byte[0]));
            })) {
      Shim.Run run = bond.run(env("DEL"), new byte[0]);
      assertThat(run.exit()).isZero();
      assertThat(run.stdout()).isEmpty();
    }
    assertThat(name.get()).isEqualTo("bond");
  }

  @Test
  void anAnswerWithoutAcceptedIsRelayedToo() {
    byte[] refusal = "{\"code\":5}".getBytes(StandardCharsets.UTF_8);
    try (ScriptedServer s =
        ScriptedServer.start(
            socket,
            (ch, in, out) -> Frames.writeAnswer(out, new CniAnswer(1, refusal, new byte[0])))) {
      Shim.Run run = shim.run(env("ADD"), NETCONF);
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.stdout()).isEqualTo(refusal);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withNoSocketItRunsTheStandalonePluginWithTheSameEnvironmentAndStdin() {
    shim.script(
        "sriov-standalone",
        "echo \"argv0=$0 cmd=$CNI_COMMAND path=$PATH\"; cat; echo err >&2; exit 3\n");
    Shim.Run run = shim.run(env("ADD", "PATH", "/usr/bin:/bin"), NETCONF);
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.out())
        .isEqualTo(
            "argv0="
                + shim.dir().resolve("sriov-standalone")
                + " cmd=ADD path=/usr/bin:/bin\n"
                + new String(NETCONF, StandardCharsets.UTF_8));
    assertThat(run.err())
        .isEqualTo(
            "sriov shim: CNI server unreachable (connect "
                + socket
                + ": No such file or directory); running the standalone plugin "
                + shim.dir().resolve("sriov-standalone")
                + "\nerr\n");
  }

  @Test
  void aStaleSocketWithNoServerFallsBack() throws IOException {
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();
    shim.script("sriov-standalone", "printf standalone\n");
    Shim.Run run = shim.run(env("DEL"), NETCONF);
    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("standalone");
    assertThat(run.err()).contains("(connect " + socket + ": Connection refused)");
  }

  @Test
  void aServerClosingBeforeItTookTheRequestFallsBack() throws Exception {
    shim.script("sriov-standalone", "printf standalone; cat >/dev/null\n");
    try (ScriptedServer s = ScriptedServer.start(socket, (ch, in, out) -> {})) {
      Shim.Run run = shim.run(env("ADD"), NETCONF);
      assertThat(run.exit()).isZero();
      assertThat(run.out()).isEqualTo("standalone");
      assertThat(run.err())
          .startsWith(
              "sriov shim: CNI server unreachable ("
                  + socket
                  + " closed the connection before it took the request");
    }
  }

  @Test
  void whenBothFailTheErrorSaysWhyForEach() {
    Shim.Run run = shim.run(env("ADD"), NETCONF);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"0.4.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: the CNI server is unreachable"
                + " and the standalone plugin cannot be run\",\n    \"details\": \"connect "
                + socket
                + ": No such file or directory; execve "
                + shim.dir().resolve("sriov-standalone")
                + ": No such file or directory\"\n}");
  }

  @Test
  void theStandaloneDirectoryIsConfigurable() throws IOException {
    Path other = tmp.resolve("standalone");
    Files.createDirectories(other);
    Shim elsewhere = Shim.install(other, "unused");
    elsewhere.script("sriov-standalone", "printf elsewhere\n");
    shim.config(config(20000) + "standalone_dir=" + other + "\n");
    Shim.Run run = shim.run(env("ADD"), NETCONF);
    assertThat(run.out()).isEqualTo("elsewhere");
  }

  @Test
  void aStandaloneThatIsTheShimItselfIsRefused() throws IOException {
    Files.createLink(shim.dir().resolve("sriov-standalone"), shim.program());
    Shim.Run run = shim.run(env("ADD"), new byte[0]);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.1.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: the CNI server is unreachable"
                + " and the standalone plugin cannot be run\",\n    \"details\": \"connect "
                + socket
                + ": No such file or directory; "
                + shim.dir().resolve("sriov-standalone")
                + " is this shim itself\"\n}");
  }

  @Test
  void aServerThatTookTheRequestButHangsTimesOut() throws Exception {
    shim.config(config(700));
    CountDownLatch release = new CountDownLatch(1);
    try (ScriptedServer s =
        ScriptedServer.start(
            socket,
            (ch, in, out) -> {
              Frames.readRequest(in);
              Frames.writeAccepted(out);
              release.await(20, TimeUnit.SECONDS);
            })) {
      Shim.Run run = shim.run(env("ADD"), NETCONF);
      release.countDown();
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.out())
          .isEqualTo(
              "{\n    \"cniVersion\": \"0.4.0\",\n    \"code\": 11,\n    \"msg\": \"sriov shim: the CNI server at "
                  + socket
                  + " took the request but did not answer within 700 ms\"\n}");
      assertThat(run.millis()).isGreaterThanOrEqualTo(700).isLessThan(15000);
    }
  }

  @Test
  void aServerThatNeverTakesTheRequestTimesOutAndCanNoLongerRunIt() throws Exception {
    shim.config(config(700));
    CountDownLatch shimDone = new CountDownLatch(1);
    try (ScriptedServer s =
        ScriptedServer.start(
            socket,
            (ch, in, out) -> {
              shimDone.await(20, TimeUnit.SECONDS);
              Frames.readRequest(in);
              Frames.writeAccepted(out); // fails: the shim closed its side before giving up
            })) {
      Shim.Run run = shim.run(env("ADD"), NETCONF);
      shimDone.countDown();
      assertThat(run.out())
          .isEqualTo(
              "{\n    \"cniVersion\": \"0.4.0\",\n    \"code\": 11,\n    \"msg\": \"sriov shim: the CNI server at "
                  + socket
                  + " did not take the request within 700 ms; it was not run\"\n}");
      assertThatThrownBy(() -> s.done().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IOException.class)
          .hasMessageContaining("Broken pipe");
    }
  }

  @Test
  void aServerClosingDuringTheCallIsAnErrorNotAFallback() throws Exception {
    shim.script("sriov-standalone", "printf standalone\n");
    try (ScriptedServer s =
        ScriptedServer.start(
            socket,
            (ch, in, out) -> {
              Frames.readRequest(in);
              Frames.writeAccepted(out);
            })) {
      Shim.Run run = shim.run(env("ADD"), NETCONF);
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.out())
          .isEqualTo(
              "{\n    \"cniVersion\": \"0.4.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: the CNI server at "
                  + socket
                  + " closed the connection during the call (it may have stopped); the outcome is"
                  + " unknown\"\n}");
    }
  }

  @Test
  void malformedAnswersAreRefusedWithTheReason() throws Exception {
    assertMalformed(
        raw("XCNI", 1, 3, 0, new byte[0]), "bad magic 0x58434e49 (expected \\\"SCNI\\\")");
    assertMalformed(raw("SCNI", 9, 3, 0, new byte[0]), "protocol version 9 (this shim speaks 1)");
    assertMalformed(raw("SCNI", 1, 1, 0, new byte[0]), "unexpected frame kind 1");
    assertMalformed(raw("SCNI", 1, 3, 1, new byte[0]), "reserved header bytes are not zero");
    assertMalformed(raw("SCNI", 1, 2, 0, new byte[3]), "an accepted frame with a 3-byte body");
    assertMalformed(
        raw("SCNI", 1, 3, 0, new byte[4], WireFormat.MAX_ANSWER_BODY + 1),
        "an answer body of 5242890 bytes (the limit is 5242889)");
    assertMalformed(
        raw("SCNI", 1, 3, 0, new byte[4]),
        "an answer body of 4 bytes is shorter than its 9 fixed bytes");
    assertMalformed(
        raw("SCNI", 1, 3, 0, answerBody(0, 100, 0, 0)),
        "stdout of 100 bytes runs past the 9-byte body");
    assertMalformed(
        raw("SCNI", 1, 3, 0, answerBody(0, 0, 0, 2)),
        "stdout (0) and stderr (0) lengths do not add up to the 11-byte body");
    assertMalformed(
        raw("SCNI", 1, 3, 0, answerBody(0, WireFormat.MAX_STDOUT + 1, 0, 0)),
        "stdout of 4194305 bytes (the limit is 4194304)");
    assertMalformed(
        raw("SCNI", 1, 3, 0, new byte[5], 20),
        "the connection closed after 5 of the answer's 20 body bytes");
  }

  @Test
  void aSecondAcceptedFrameIsMalformed() throws Exception {
    byte[] accepted = raw("SCNI", 1, 2, 0, new byte[0]);
    byte[] twice = new byte[accepted.length * 2];
    System.arraycopy(accepted, 0, twice, 0, accepted.length);
    System.arraycopy(accepted, 0, twice, accepted.length, accepted.length);
    assertMalformed(twice, "a second accepted frame");
  }

  private void assertMalformed(byte[] answer, String why) throws Exception {
    try (ScriptedServer s =
        ScriptedServer.start(
            socket,
            (ch, in, out) -> {
              Frames.readRequest(in);
              out.write(answer);
              out.flush();
            })) {
      Shim.Run run = shim.run(env("CHECK"), NETCONF);
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.out())
          .isEqualTo(
              "{\n    \"cniVersion\": \"0.4.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: malformed answer from the"
                  + " CNI server at "
                  + socket
                  + ": "
                  + why
                  + "\"\n}");
      assertThat(run.stderr()).isEmpty();
    }
  }

  /** A frame header with {@code body}, its length field {@code declared} (default: the body's). */
  private static byte[] raw(
      String magic, int version, int kind, int reserved, byte[] body, int... declared) {
    ByteBuffer b = ByteBuffer.allocate(12 + body.length);
    b.put(magic.getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) kind);
    b.putShort((short) reserved).putInt(declared.length > 0 ? declared[0] : body.length).put(body);
    return b.array();
  }

  private static byte[] answerBody(int status, int stdoutLength, int stderrLength, int extra) {
    return ByteBuffer.allocate(9 + extra)
        .put((byte) status)
        .putInt(stdoutLength)
        .putInt(stderrLength)
        .array();
  }

  @Test
  void configurationErrorsNameTheFileLineAndKey() {
    Path conf = shim.dir().resolve("sriov-cni-shim.conf");
    assertConfig(
        "socket=" + socket + "\nretries=3\n",
        conf
            + " line 2: unknown key \\\"retries\\\" (known: socket, connect_timeout_ms, timeout_ms,"
            + " standalone_dir)");
    assertConfig(
        "timeout_ms=soon\n",
        conf + " line 1: timeout_ms needs milliseconds from 1 to 86400000, got \\\"soon\\\"");
    assertConfig(
        "connect_timeout_ms=0\n",
        conf + " line 1: connect_timeout_ms needs milliseconds from 1 to 86400000, got \\\"0\\\"");
    assertConfig(
        "socket=relative.sock\n",
        conf
            + " line 1: socket needs an absolute path of at most 107 bytes, got \\\"relative.sock\\\"");
    assertConfig(
        "socket=/" + "x".repeat(120) + "\n",
        conf
            + " line 1: socket needs an absolute path of at most 107 bytes, got \\\"/"
            + "x".repeat(120)
            + "\\\"");
    assertConfig(
        "socket=a<b>&c\n",
        conf
            + " line 1: socket needs an absolute path of at most 107 bytes, got"
            + " \\\"a\\u003cb\\u003e\\u0026c\\\"");
    assertConfig(
        "standalone_dir=bin\n",
        conf + " line 1: standalone_dir needs an absolute path, got \\\"bin\\\"");
    assertConfig("just words\n", conf + " line 1: expected key=value, got \\\"just words\\\"");
  }

  /** The file is read before stdin: its errors carry the default version. */
  private void assertConfig(String text, String msg) {
    shim.config(text);
    Shim.Run run = shim.run(env("ADD"), NETCONF);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.1.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: "
                + msg
                + "\"\n}");
  }

  @Test
  void aProgramNameThatIsNoPluginNameIsRefused() {
    Shim odd = Shim.install(shim.dir(), "Sriov.bak");
    Shim.Run run = odd.run(env("ADD"), NETCONF);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.1.0\",\n    \"code\": 5,\n    \"msg\": \"cni shim: cannot tell the plugin from the"
                + " program name \\\"Sriov.bak\\\" (install the shim as sriov or bond)\"\n}");
  }

  @Test
  void stdinPastTheLimitIsRefused() {
    Shim.Run run = shim.run(env("ADD"), new byte[WireFormat.MAX_STDIN + 1]);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.1.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: the network configuration on"
                + " stdin is larger than 4194304 bytes\"\n}");
  }

  @Test
  void anEnvironmentVariablePastTheLimitIsRefused() {
    Shim.Run run = shim.run(env("ADD", "CNI_ARGS", "x".repeat(WireFormat.MAX_ENV_ENTRY)), NETCONF);
    assertThat(run.out())
        .isEqualTo(
            "{\n    \"cniVersion\": \"0.4.0\",\n    \"code\": 5,\n    \"msg\": \"sriov shim: environment variable CNI_ARGS"
                + " is 16393 bytes; the CNI server takes at most 16384\"\n}");
  }

  @Test
  void theErrorVersionIsTheNetconfsWhenItHasOne() {
    String[][] cases = {
      {"{\"name\":\"x\",\"cniVersion\":\"1.0.0\"}", "1.0.0"},
      {" {\"a\":{\"cniVersion\":\"0.3.0\"},\"b\":[1,\"]\"],\"cniVersion\" : \"0.3.1\"}", "0.3.1"},
      {"{\"cniVersion\":\"1.0.0-rc\"}", "1.1.0"},
      {"{\"cniVersion\":7}", "1.1.0"},
      {"not json", "1.1.0"},
      {"{\"a\":\"\\\"cniVersion\\\":\\\"0.1.0\\\"\"}", "1.1.0"},
    };
    for (String[] c : cases) {
      Shim.Run run = shim.run(env("ADD"), c[0].getBytes(StandardCharsets.UTF_8));
      assertThat(run.out())
          .as(c[0])
          .startsWith("{\n    \"cniVersion\": \"" + c[1] + "\",\n    \"code\": 5,");
    }
  }

  @Test
  void theAcceptedWriteOfATimedOutShimFails() throws Exception {
    // The server side of the guarantee above, without the shim: writing to a closed peer fails.
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      try (var client = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(socket));
          var accepted = server.accept()) {
        client.shutdownInput();
        OutputStream out = java.nio.channels.Channels.newOutputStream(accepted);
        assertThatThrownBy(() -> Frames.writeAccepted(out))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("Broken pipe");
      }
    }
  }
}
