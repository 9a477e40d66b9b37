package io.sriov.cni.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.cni.plugin.CniErrorCode;
import io.sriov.cni.plugin.CniException;
import io.sriov.cni.plugin.CniPlugin;
import io.sriov.cni.plugin.CniRunner;
import io.sriov.cni.plugin.CniVersion;
import io.sriov.cni.plugin.NetConf;
import io.sriov.cni.server.CniMetrics.Refusal;
import io.sriov.cni.server.wire.CniAnswer;
import io.sriov.cni.server.wire.CniCall;
import io.sriov.cni.server.wire.Frames;
import io.sriov.cni.server.wire.MalformedFrameException;
import io.sriov.cni.server.wire.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's CNI server: a Unix socket (its directory 0700, the socket 0600) where the shim
 * ({@code /opt/cni/bin/sriov}, {@code bond}) forwards each CNI call; the call runs in-process
 * through {@link CniRunner} on the registered {@link CniPlugin} of that name, and its stdout,
 * stderr and exit status go back over the wire ({@link Frames}, protocol in the module README).
 *
 * <p>One platform thread accepts; it checks the peer ({@code SO_PEERCRED}: root only) and hands the
 * connection to a bounded pool of worker threads, so calls run in parallel. Calls on the same VF
 * serialize in the plugins themselves (their per-VF locks under {@code /var/lib/cni/sriov}, shared
 * with the standalone plugins), not here. A refused call (non-root peer, malformed frame, unknown
 * plugin, a full queue) gets a CNI error answer and changes nothing.
 */
public final class CniServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CniServer.class);
  private static final byte[] STDERR_TRUNCATED =
      "\n[stderr truncated: the CNI wire protocol carries at most 1048576 bytes]\n"
          .getBytes(StandardCharsets.UTF_8);

  private final CniServerOptions options;
  private final Map<String, CniPlugin> plugins;
  private final CniMetrics metrics;
  private final CniRunner runner = new CniRunner();
  private final SocketFiles.Bound bound;
  private final ServerSocketChannel listener;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService deadlines;
  private final Thread acceptor;
  private volatile boolean closing;

  private CniServer(
      CniServerOptions options,
      Map<String, CniPlugin> plugins,
      CniMetrics metrics,
      SocketFiles.Bound bound) {
    this.options = options;
    // sorted once, so the refusal below names them in the same order on every JVM
    this.plugins = Collections.unmodifiableSortedMap(new TreeMap<>(plugins));
    this.metrics = metrics;
    this.bound = bound;
    this.listener = bound.channel();
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            options.workers(),
            options.workers(),
            5,
            TimeUnit.MINUTES,
            options.queue() == 0
                ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(options.queue()),
            r -> platformThread(r, "cni-worker-" + n.incrementAndGet()));
    this.workers.allowCoreThreadTimeOut(true);
    this.deadlines =
        Executors.newSingleThreadScheduledExecutor(r -> platformThread(r, "cni-read-deadline"));
    this.acceptor = platformThread(this::acceptLoop, "cni-accept");
  }

  /**
   * Binds the socket and starts serving.
   *
   * @param plugins by the name the shim is installed as ({@code sriov}, {@code bond})
   * @throws IOException when the socket cannot be bound: its directory is not usable, another
   *     server listens there, or the path is something else than a socket
   */
  public static CniServer start(
      CniServerOptions options, Map<String, CniPlugin> plugins, MeterRegistry registry)
      throws IOException {
    Map<String, CniPlugin> byName = new TreeMap<>(plugins);
    for (String name : byName.keySet()) {
      if (name.length() > WireFormat.MAX_NAME || !WireFormat.isPluginName(name)) {
        throw new IllegalArgumentException(
            "CNI plugin name \"" + name + "\": the shim's program name, [a-z0-9][a-z0-9_-]*");
      }
    }
    SocketFiles.Bound bound = SocketFiles.bind(options.socket());
    CniServer server = new CniServer(options, Map.copyOf(byName), new CniMetrics(registry), bound);
    server.acceptor.start();
    log.info(
        "CNI server listening socket={} plugins={} workers={} peerCheck=\"{}\"",
        options.socket(),
        byName.keySet(),
        options.workers(),
        Peers.method());
    return server;
  }

  public Path socket() {
    return options.socket();
  }

  /** Calls waiting for a worker now. */
  int queued() {
    return workers.getQueue().size();
  }

  private void acceptLoop() {
    while (!closing) {
      SocketChannel ch;
      try {
        ch = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("CNI server accept failed error={}", e.toString());
        pause();
        continue;
      }
      long acceptedAt = System.nanoTime();
      Optional<String> refusal = Peers.refusal(ch);
      long checkedAt = System.nanoTime();
      if (refusal.isPresent()) {
        metrics.refused(Refusal.PEER);
        log.warn("CNI call refused reason=peer detail=\"{}\"", refusal.get());
        refuse(ch, CniErrorCode.IO_FAILURE, refusal.get(), CniVersion.LATEST);
        continue;
      }
      try {
        workers.execute(() -> serve(ch, acceptedAt, checkedAt));
      } catch (RejectedExecutionException e) {
        metrics.refused(Refusal.BUSY);
        log.warn(
            "CNI call refused reason=busy workers={} queue={}", options.workers(), options.queue());
        refuse(
            ch,
            CniErrorCode.TRY_AGAIN_LATER,
            "the CNI server at "
                + options.socket()
                + " is busy ("
                + options.workers()
                + " calls running, "
                + options.queue()
                + " waiting); try again",
            CniVersion.LATEST);
      }
    }
  }

  /**
   * Reads the request, runs it, answers; on a worker thread. {@code acceptedAt}, {@code checkedAt}:
   * {@link System#nanoTime} when the acceptor took the connection and when its peer check ended.
   */
  private void serve(SocketChannel ch, long acceptedAt, long checkedAt) {
    long startedAt = System.nanoTime();
    try (ch) {
      InputStream in = Channels.newInputStream(ch);
      OutputStream out = Channels.newOutputStream(ch);
      Optional<CniCall> read = readRequest(ch, in, out);
      if (read.isEmpty()) {
        return;
      }
      CniCall call = read.get();
      CniPlugin plugin = plugins.get(call.plugin());
      if (plugin == null) {
        metrics.refused(Refusal.UNKNOWN_PLUGIN);
        log.warn("CNI call refused reason=unknown-plugin plugin={}", call.plugin());
        answer(
            out,
            refusalAnswer(
                CniErrorCode.IO_FAILURE,
                "the CNI server at "
                    + options.socket()
                    + " has no plugin \""
                    + call.plugin()
                    + "\" (it serves: "
                    + String.join(", ", plugins.keySet())
                    + ")",
                versionOf(call.stdin())));
        return;
      }
      try {
        Frames.writeAccepted(out);
      } catch (IOException e) {
        log.info(
            "CNI client left before its call was accepted; not run plugin={} command={}",
            call.plugin(),
            call.env().get("CNI_COMMAND"));
        return;
      }
      long runAt = System.nanoTime();
      CniAnswer answer = run(plugin, call);
      long ranAt = System.nanoTime();
      try {
        Frames.writeAnswer(out, answer);
      } catch (IOException e) {
        log.warn(
            "CNI answer lost, the client left plugin={} command={} exit={} error={}",
            call.plugin(),
            call.env().get("CNI_COMMAND"),
            answer.exitStatus(),
            e.toString());
      }
      long repliedAt = System.nanoTime();
      // after the answer, so the caller does not wait for the log write
      log.info(
          "CNI call plugin={} command={} container={} ifname={} exit={} ms={} peer_ms={}"
              + " queue_ms={} read_ms={} reply_ms={} total_ms={}",
          call.plugin(),
          CniMetrics.commandTag(call.env().get("CNI_COMMAND")),
          printable(call.env().get("CNI_CONTAINERID")),
          printable(call.env().get("CNI_IFNAME")),
          answer.exitStatus(),
          TimeUnit.NANOSECONDS.toMillis(ranAt - runAt),
          millis(checkedAt - acceptedAt),
          millis(startedAt - checkedAt),
          millis(runAt - startedAt),
          millis(repliedAt - ranAt),
          millis(repliedAt - acceptedAt));
    } catch (IOException e) {
      log.debug("CNI connection close failed error={}", e.toString());
    } catch (RuntimeException e) {
      log.error("CNI call failed unexpectedly", e);
    }
  }

  /**
   * The request, read within the read timeout; empty when there is none to run: the client sent
   * nothing or too little in time (closed), left, or sent a malformed frame (answered).
   */
  private Optional<CniCall> readRequest(SocketChannel ch, InputStream in, OutputStream out) {
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> closeQuietly(ch), options.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
    Optional<CniCall> read = Optional.empty();
    IOException failure = null;
    try {
      read = Frames.readRequest(in);
    } catch (IOException e) {
      failure = e;
    }
    if (!deadline.cancel(false)) {
      log.warn("CNI request not read within {} ms; closed", options.readTimeout().toMillis());
      return Optional.empty();
    }
    if (failure instanceof MalformedFrameException e) {
      metrics.refused(Refusal.MALFORMED);
      log.warn("CNI call refused reason=malformed detail=\"{}\"", e.getMessage());
      answer(
          out,
          refusalAnswer(
              CniErrorCode.IO_FAILURE,
              "malformed request to the CNI server: " + e.getMessage(),
              CniVersion.LATEST));
    } else if (failure != null) {
      log.info("CNI request not read error={}", failure.toString());
    } else if (read.isEmpty()) {
      log.debug("CNI client closed without a request");
    }
    return read;
  }

  private CniAnswer run(CniPlugin plugin, CniCall call) {
    String command = call.env().get("CNI_COMMAND");
    BoundedOutput stdout = new BoundedOutput(WireFormat.MAX_STDOUT);
    BoundedOutput stderr = new BoundedOutput(WireFormat.MAX_STDERR - STDERR_TRUNCATED.length);
    metrics.started();
    long start = System.nanoTime();
    int status = 1;
    try {
      status = runner.call(plugin, call.env(), call.stdin(), stdout, stderr);
    } finally {
      metrics.finished(call.plugin(), command, status, Duration.ofNanos(System.nanoTime() - start));
    }
    byte[] err = stderr.toByteArray();
    if (stderr.overflowed()) {
      byte[] cut = new byte[err.length + STDERR_TRUNCATED.length];
      System.arraycopy(err, 0, cut, 0, err.length);
      System.arraycopy(STDERR_TRUNCATED, 0, cut, err.length, STDERR_TRUNCATED.length);
      err = cut;
    }
    if (stdout.overflowed()) {
      return new CniAnswer(
          1,
          CniRunner.errorJson(
              new CniException(
                  CniErrorCode.IO_FAILURE,
                  "the plugin's output is larger than the "
                      + WireFormat.MAX_STDOUT
                      + " bytes the CNI server can return"),
              versionOf(call.stdin())),
          err);
    }
    return new CniAnswer(status, stdout.toByteArray(), err);
  }

  /** A refusal before any plugin ran: a CNI error object, exit status 1. */
  private static CniAnswer refusalAnswer(CniErrorCode code, String msg, CniVersion version) {
    return new CniAnswer(1, CniRunner.errorJson(new CniException(code, msg), version), new byte[0]);
  }

  private void refuse(SocketChannel ch, CniErrorCode code, String msg, CniVersion version) {
    try (ch) {
      answer(Channels.newOutputStream(ch), refusalAnswer(code, msg, version));
    } catch (IOException e) {
      log.debug("CNI refusal not delivered error={}", e.toString());
    }
  }

  private static void answer(OutputStream out, CniAnswer answer) {
    try {
      Frames.writeAnswer(out, answer);
    } catch (IOException e) {
      log.debug("CNI answer not delivered error={}", e.toString());
    }
  }

  /** The netconf's version for an error the server writes, as the plugin's own errors carry. */
  private static CniVersion versionOf(byte[] stdin) {
    try {
      return NetConf.parse(stdin).cniVersion().flatMap(CniVersion::of).orElse(CniVersion.LATEST);
    } catch (RuntimeException e) {
      return CniVersion.LATEST;
    }
  }

  /** Nanoseconds as milliseconds with one decimal, for a log line. */
  private static String millis(long nanos) {
    long tenths = Math.round(nanos / 100_000.0);
    return (tenths / 10) + "." + (tenths % 10);
  }

  /** A value for a log line: at most 80 printable ASCII characters. */
  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      b.append(c > ' ' && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      log.debug("CNI connection close failed error={}", e.toString());
    }
  }

  private static Thread platformThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops accepting (the socket file is removed, so new shims fall back to the standalone plugins),
   * lets running and queued calls finish within the grace period, then stops.
   */
  @Override
  public void close() {
    closing = true;
    bound.close();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
      workers.shutdown();
      if (!workers.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "CNI server: calls still running after {} ms; stopping them",
            options.shutdownGrace().toMillis());
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    } finally {
      deadlines.shutdownNow();
    }
    log.info("CNI server stopped socket={}", options.socket());
  }
}
