package io.sriov.cni.server;

import static io.sriov.cni.server.testing.WireClient.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.cni.plugin.CniRunner;
import io.sriov.cni.server.testing.TestPlugin;
import io.sriov.cni.server.testing.WireClient;
import io.sriov.cni.server.testing.WireClient.Reply;
import io.sriov.cni.server.wire.CniCall;
import io.sriov.cni.server.wire.Frames;
import io.sriov.core.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNI server on a real Unix socket with Java clients speaking the wire protocol. Root: the
 * server takes calls from root only ({@code SO_PEERCRED}), and this test is its client. The native
 * shim against it: {@code ShimServerIT}.
 */
class CniServerIT {
  static final String NETCONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"sriov\"}";

  @TempDir Path tmp;
  Path socket;
  TestPlugin plugin = new TestPlugin();
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  CniServer server;

  /** Not the common pool: it has one thread on a 2-core machine. */
  ExecutorService async = Executors.newCachedThreadPool();

  @BeforeEach
  void root() {
    Prerequisites.require(
        Prerequisites.isRoot(), "root", "the CNI server answers root clients only (SO_PEERCRED)");
    socket = tmp.resolve("run/sriov-node/cni.sock");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    async.shutdownNow();
  }

  private CniServer start(int workers, int queue, Duration readTimeout) throws IOException {
    server =
        CniServer.start(
            new CniServerOptions(socket, workers, queue, readTimeout, Duration.ofSeconds(10)),
            Map.of("sriov", plugin),
            registry);
    return server;
  }

  private CniServer start() throws IOException {
    return start(4, 8, Duration.ofSeconds(10));
  }

  @Test
  void anAddRunsThePluginAndAnswersExactlyWhatTheStandaloneRunnerPrints() throws IOException {
    start();
    CniCall add = call("sriov", "ADD", "c1", NETCONF);
    Reply reply = WireClient.call(socket, add);
    assertThat(reply.accepted()).isTrue();
    assertThat(reply.answer().exitStatus()).isZero();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        CniRunner.run(new TestPlugin(), add.env(), add.stdin(), out, new ByteArrayOutputStream());
    assertThat(status).isZero();
    assertThat(reply.answer().stdout()).isEqualTo(out.toByteArray());
    assertThat(reply.stdout()).contains("\"name\": \"net1\"", "\"sandbox\": \"/var/run/netns/c1\"");
    assertThat(plugin.calls()).containsExactly("ADD c1");
  }

  @Test
  void everyCommandReachesThePlugin() throws IOException {
    start();
    String v11 = "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"type\":\"sriov\"}";
    for (String command : List.of("DEL", "CHECK", "STATUS", "GC")) {
      Reply reply = WireClient.call(socket, call("sriov", command, "c1", v11));
      assertThat(reply.answer().exitStatus()).as(command).isZero();
      assertThat(reply.answer().stdout()).as(command).isEmpty();
    }
    assertThat(plugin.calls()).containsExactly("DEL c1", "CHECK c1", "STATUS ", "GC ");
    Reply version = WireClient.call(socket, call("sriov", "VERSION", "c1", ""));
    assertThat(version.stdout()).contains("\"supportedVersions\"");
  }

  @Test
  void aPluginErrorIsAnsweredAsTheRunnerWritesIt() throws IOException {
    start();
    Reply reply = WireClient.call(socket, call("sriov", "ADD", TestPlugin.FAILING, NETCONF));
    assertThat(reply.accepted()).isTrue();
    assertThat(reply.answer().exitStatus()).isEqualTo(1);
    assertThat(reply.stdout())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.0.0\",\n    \"code\": 7,\n    \"msg\": \"test plugin refuses"
                + " failing\",\n    \"details\": \"as asked\"\n}");
    assertThat(new String(reply.answer().stderr(), StandardCharsets.UTF_8))
        .contains("msg=\"test plugin refuses failing\"");
    Timer errors =
        registry
            .find(CniMetrics.REQUESTS)
            .tags("plugin", "sriov", "command", "ADD", "result", "error")
            .timer();
    assertThat(errors).isNotNull();
    assertThat(errors.count()).isEqualTo(1);
  }

  @Test
  void anUnknownPluginIsRefusedBeforeAnythingRuns() throws IOException {
    start();
    Reply reply = WireClient.call(socket, call("bond", "ADD", "c1", NETCONF));
    assertThat(reply.accepted()).isFalse();
    assertThat(reply.answer().exitStatus()).isEqualTo(1);
    assertThat(reply.stdout())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.0.0\",\n    \"code\": 5,\n    \"msg\": \"the CNI server at "
                + socket
                + " has no plugin \\\"bond\\\" (it serves: sriov)\"\n}");
    assertThat(plugin.calls()).isEmpty();
    assertThat(refused("unknown-plugin")).isEqualTo(1);
  }

  @Test
  void aMalformedFrameIsRefusedWithTheReasonAndChangesNothing() throws IOException {
    start();
    Reply reply =
        WireClient.raw(socket, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(reply.accepted()).isFalse();
    assertThat(reply.answer().exitStatus()).isEqualTo(1);
    assertThat(reply.stdout())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.1.0\",\n    \"code\": 5,\n    \"msg\": \"malformed request"
                + " to the CNI server: bad magic 0x47455420 (expected \\\"SCNI\\\")\"\n}");
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    Frames.writeRequest(frame, call("sriov", "ADD", "c1", NETCONF));
    byte[] truncated = java.util.Arrays.copyOf(frame.toByteArray(), 30);
    Reply cut = WireClient.raw(socket, truncated);
    assertThat(cut.stdout()).contains("the connection closed after 18 of the body's");
    assertThat(plugin.calls()).isEmpty();
    assertThat(refused("malformed")).isEqualTo(2);
  }

  @Test
  void callsRunInParallel() throws Exception {
    start(8, 8, Duration.ofSeconds(10));
    plugin.meetTogether(8);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        CniCall c = call("sriov", "ADD", "p" + i, NETCONF);
        replies.add(clients.submit(() -> WireClient.call(socket, c)));
      }
      for (Future<Reply> r : replies) {
        assertThat(r.get(30, TimeUnit.SECONDS).answer().exitStatus()).isZero();
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(plugin.maxRunning()).isEqualTo(8);
  }

  @Test
  void aFullQueueAnswersBusyWithCode11() throws Exception {
    start(1, 1, Duration.ofSeconds(10));
    plugin.hold("first");
    CompletableFuture<Reply> first =
        CompletableFuture.supplyAsync(
            () -> unchecked(call("sriov", "ADD", "first", NETCONF)), async);
    waitFor(() -> plugin.calls().contains("ADD first"));
    // the second waits in the queue (its frame is read by a worker later)
    SocketChannel queued = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    Frames.writeRequest(Channels.newOutputStream(queued), call("sriov", "ADD", "second", NETCONF));
    waitFor(() -> server.queued() == 1);
    Reply busy = WireClient.call(socket, call("sriov", "ADD", "third", NETCONF));
    assertThat(busy.accepted()).isFalse();
    assertThat(busy.stdout())
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.1.0\",\n    \"code\": 11,\n    \"msg\": \"the CNI server at "
                + socket
                + " is busy (1 calls running, 1 waiting); try again\"\n}");
    plugin.release("first");
    assertThat(first.get(10, TimeUnit.SECONDS).answer().exitStatus()).isZero();
    Reply second = WireClient.read(Channels.newInputStream(queued));
    queued.close();
    assertThat(second.answer().exitStatus()).isZero();
    assertThat(plugin.calls()).containsExactly("ADD first", "ADD second");
    assertThat(refused("busy")).isEqualTo(1);
  }

  @Test
  void aClientThatSendsNothingIsClosedAfterTheReadTimeout() throws Exception {
    start(2, 2, Duration.ofMillis(300));
    try (SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      long start = System.nanoTime();
      assertThat(Channels.newInputStream(idle).read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
    }
    assertThat(WireClient.call(socket, call("sriov", "DEL", "c1", NETCONF)).answer().exitStatus())
        .isZero();
    assertThat(plugin.calls()).containsExactly("DEL c1");
  }

  @Test
  void aClientGoneBeforeAcceptedIsNotRun() throws Exception {
    start(1, 4, Duration.ofSeconds(10));
    plugin.hold("first");
    CompletableFuture<Reply> first =
        CompletableFuture.supplyAsync(
            () -> unchecked(call("sriov", "ADD", "first", NETCONF)), async);
    waitFor(() -> plugin.calls().contains("ADD first"));
    try (SocketChannel gone = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      Frames.writeRequest(Channels.newOutputStream(gone), call("sriov", "ADD", "gone", NETCONF));
      gone.shutdownInput(); // what a timed-out shim does before it gives up
    }
    plugin.release("first");
    first.get(10, TimeUnit.SECONDS);
    assertThat(
            WireClient.call(socket, call("sriov", "DEL", "after", NETCONF)).answer().exitStatus())
        .isZero();
    assertThat(plugin.calls()).containsExactly("ADD first", "DEL after");
  }

  @Test
  void stderrPastTheLimitIsCutWithANote() throws IOException {
    start();
    Reply reply = WireClient.call(socket, call("sriov", "ADD", TestPlugin.CHATTY, NETCONF));
    assertThat(reply.answer().exitStatus()).isZero();
    String err = new String(reply.answer().stderr(), StandardCharsets.UTF_8);
    assertThat(reply.answer().stderr()).hasSize(1024 * 1024);
    assertThat(err)
        .endsWith("\n[stderr truncated: the CNI wire protocol carries at most 1048576 bytes]\n");
    assertThat(reply.stdout()).contains("\"name\": \"net1\"");
  }

  @Test
  void theSocketIsRootOnlyAndRemovedOnClose() throws IOException {
    start();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
        .isEqualTo("rw-------");
    server.close();
    server = null;
    assertThat(socket).doesNotExist();
  }

  @Test
  void aStaleSocketIsReplacedALiveOneIsNot() throws IOException {
    Files.createDirectories(socket.getParent());
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(socket));
    }
    start();
    assertThat(WireClient.call(socket, call("sriov", "DEL", "c1", NETCONF)).answer().exitStatus())
        .isZero();
    assertThatThrownBy(
            () ->
                CniServer.start(
                    CniServerOptions.defaults(socket), Map.of("sriov", plugin), registry))
        .isInstanceOf(IOException.class)
        .hasMessage("another CNI server is listening on " + socket);
    assertThat(WireClient.call(socket, call("sriov", "DEL", "c2", NETCONF)).answer().exitStatus())
        .isZero();
  }

  @Test
  void aPathThatIsNoSocketIsNotTouched() throws IOException {
    Files.createDirectories(socket.getParent());
    Files.writeString(socket, "keep");
    assertThatThrownBy(this::start)
        .isInstanceOf(IOException.class)
        .hasMessage("CNI socket " + socket + " exists and is not a socket");
    assertThat(socket).hasContent("keep");
  }

  @Test
  void pluginNamesMustBeProgramNames() {
    assertThatThrownBy(
            () ->
                CniServer.start(
                    CniServerOptions.defaults(socket), Map.of("Sriov", plugin), registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CNI plugin name \"Sriov\": the shim's program name, [a-z0-9][a-z0-9_-]*");
  }

  @Test
  void closeLetsARunningCallFinishAndStopsTakingNewOnes() throws Exception {
    start();
    plugin.hold("slow");
    CompletableFuture<Reply> slow =
        CompletableFuture.supplyAsync(
            () -> unchecked(call("sriov", "ADD", "slow", NETCONF)), async);
    waitFor(() -> plugin.calls().contains("ADD slow"));
    CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close, async);
    waitFor(() -> !Files.exists(socket));
    assertThatThrownBy(() -> WireClient.call(socket, call("sriov", "ADD", "late", NETCONF)))
        .isInstanceOf(IOException.class);
    plugin.release("slow");
    assertThat(slow.get(10, TimeUnit.SECONDS).answer().exitStatus()).isZero();
    closed.get(10, TimeUnit.SECONDS);
    server = null;
    assertThat(plugin.calls()).containsExactly("ADD slow");
  }

  @Test
  void metricsCountCallsByPluginCommandAndResultWithAHistogram() throws IOException {
    start();
    WireClient.call(socket, call("sriov", "ADD", "m1", NETCONF));
    WireClient.call(socket, call("sriov", "ADD", "m2", NETCONF));
    WireClient.call(socket, call("sriov", "DEL", "m1", NETCONF));
    WireClient.call(socket, call("sriov", "BOGUS", "m1", NETCONF));
    Timer adds =
        registry
            .find(CniMetrics.REQUESTS)
            .tags("plugin", "sriov", "command", "ADD", "result", "success")
            .timer();
    assertThat(adds.count()).isEqualTo(2);
    assertThat(
            registry
                .find(CniMetrics.REQUESTS)
                .tags("command", "DEL", "result", "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .find(CniMetrics.REQUESTS)
                .tags("command", "invalid", "result", "error")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.find(CniMetrics.INFLIGHT).gauge().value()).isZero();
    assertThat(refused("peer")).isZero();
  }

  private double refused(String reason) {
    return registry.find(CniMetrics.REFUSED).tag("reason", reason).counter().count();
  }

  private Reply unchecked(CniCall c) {
    try {
      return WireClient.call(socket, c);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
