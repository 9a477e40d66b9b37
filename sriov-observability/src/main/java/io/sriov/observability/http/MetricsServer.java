package io.sriov.observability.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's one HTTP listener ({@code /metrics}, {@code /healthz}, {@code /readyz}): HTTP/1.1,
 * {@code GET} and {@code HEAD} only, one request per connection ({@code Connection: close}).
 *
 * <p>Bounded so that a slow or abusive client cannot starve the daemon: at most {@link
 * Limits#maxConcurrent} requests are handled at once (a connection beyond that gets {@code 503} at
 * once and is closed), the request head must arrive within {@link Limits#readTimeout} and fit in
 * {@link Limits#maxRequestBytes}, and a connection still open {@link Limits#responseTimeout} after
 * it was accepted (a client that does not read its answer) is closed. JDK's {@code
 * com.sun.net.httpserver} offers request and response deadlines only through JVM-wide system
 * properties read once at class initialisation, hence this small server.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  /**
   * @param maxConcurrent requests handled at once
   * @param readTimeout deadline for the request line and headers
   * @param responseTimeout deadline for the whole exchange, from accept to close
   * @param maxRequestBytes size limit of the request head
   */
  public record Limits(
      int maxConcurrent, Duration readTimeout, Duration responseTimeout, int maxRequestBytes) {
    /** 4 at once, 5 s to send the request, 10 s per exchange, 8 KiB of request head. */
    public static final Limits DEFAULT =
        new Limits(4, Duration.ofSeconds(5), Duration.ofSeconds(10), 8192);

    public Limits {
      if (maxConcurrent < 1) {
        throw new IllegalArgumentException("maxConcurrent must be at least 1: " + maxConcurrent);
      }
      positive(readTimeout, "readTimeout");
      positive(responseTimeout, "responseTimeout");
      if (maxRequestBytes < 64) {
        throw new IllegalArgumentException(
            "maxRequestBytes must be at least 64: " + maxRequestBytes);
      }
    }

    private static void positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }
  }

  /** An answer. */
  public record Response(int status, String contentType, byte[] body, int length) {
    public Response {
      Objects.requireNonNull(contentType, "contentType");
      Objects.checkFromIndexSize(0, length, body.length);
    }

    /** An answer of all of {@code body}. */
    public Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, body.length);
    }

    /** A plain-text answer. */
    public static Response text(int status, String body) {
      return new Response(
          status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Answers a {@code GET} of one path; called on a worker thread, at most maxConcurrent at once.
   */
  @FunctionalInterface
  public interface Handler {
    Response handle();
  }

  private final ServerSocket socket;
  private final Limits limits;
  private final Map<String, Handler> routes;
  private final Semaphore slots;
  private final ExecutorService workers;
  private final ScheduledExecutorService watchdog;
  private final Thread acceptor;
  private volatile boolean closed;

  private MetricsServer(ServerSocket socket, Limits limits, Map<String, Handler> routes) {
    this.socket = socket;
    this.limits = limits;
    this.routes = Map.copyOf(routes);
    this.slots = new Semaphore(limits.maxConcurrent());
    this.workers = Executors.newFixedThreadPool(limits.maxConcurrent(), daemon("sriov-http"));
    ScheduledThreadPoolExecutor w =
        new ScheduledThreadPoolExecutor(1, daemon("sriov-http-watchdog"));
    w.setRemoveOnCancelPolicy(true); // a finished exchange leaves no task behind
    this.watchdog = w;
    this.acceptor = daemon("sriov-http-accept").newThread(this::acceptLoop);
  }

  /**
   * Listens on {@code bind} (port 0: any free port) and serves {@code routes} (path to handler).
   *
   * @throws UncheckedIOException when the address cannot be bound; the message names it
   */
  public static MetricsServer start(
      InetSocketAddress bind, Limits limits, Map<String, Handler> routes) {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(limits, "limits");
    ServerSocket s;
    try {
      s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(bind, 64);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + hostPort(bind) + ": " + e.getMessage(), e);
    }
    MetricsServer server = new MetricsServer(s, limits, routes);
    server.acceptor.start();
    log.info("listening address={} paths={}", hostPort(server.address()), routes.keySet());
    return server;
  }

  /** The bound address (with the port chosen when 0 was asked). */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket c;
      try {
        c = socket.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("accept failed error=\"{}\"", e.toString());
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        reject(c);
        continue;
      }
      ScheduledFuture<?> deadline =
          watchdog.schedule(
              () -> closeQuietly(c), limits.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
      try {
        workers.execute(
            () -> {
              try {
                serve(c);
              } finally {
                // The slot goes back before the answer ends (shutdownOutput, then close): the
                // client sees the end only then and may connect again at once (a scraper's retry,
                // the next scrape); released after, that connection could find the server busy.
                deadline.cancel(false);
                slots.release();
                endQuietly(c);
              }
            });
      } catch (RuntimeException e) { // closed meanwhile
        deadline.cancel(false);
        closeQuietly(c);
        slots.release();
      }
    }
  }

  /**
   * Over the limit: a short 503 (fits the socket buffer, never blocks the acceptor), end of output,
   * and the close a moment later: closing at once with the request unread would reset the
   * connection and could discard the answer before the client reads it.
   */
  private void reject(Socket c) {
    try {
      OutputStream out = c.getOutputStream();
      out.write(head(503, "text/plain; charset=utf-8", 5, "Retry-After: 1\r\n"));
      out.write("busy\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      c.shutdownOutput();
    } catch (IOException e) {
      log.debug("rejecting a connection failed error=\"{}\"", e.toString());
    }
    try {
      watchdog.schedule(() -> closeQuietly(c), 1, TimeUnit.SECONDS);
    } catch (RuntimeException e) { // closed meanwhile
      closeQuietly(c);
    }
  }

  private void serve(Socket c) {
    String method;
    String path;
    try {
      c.setSoTimeout((int) limits.readTimeout().toMillis());
      String requestLine = readHead(c.getInputStream());
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
        write(c, Response.text(400, "bad request line\n"), true);
        return;
      }
      method = parts[0];
      path = parts[1];
    } catch (BadRequest e) {
      write(c, Response.text(e.status, e.getMessage() + "\n"), true);
      return;
    } catch (SocketTimeoutException e) {
      write(c, Response.text(408, "request not received within the timeout\n"), true);
      return;
    } catch (IOException e) {
      log.debug("reading a request failed error=\"{}\"", e.toString());
      return;
    }
    int query = path.indexOf('?');
    Handler h = routes.get(query >= 0 ? path.substring(0, query) : path);
    boolean head = method.equals("HEAD");
    if (!method.equals("GET") && !head) {
      write(c, Response.text(405, "method not allowed: " + method + "\n"), true);
    } else if (h == null) {
      write(c, Response.text(404, "not found: " + path + "\n"), !head);
    } else {
      Response r;
      try {
        r = h.handle();
      } catch (RuntimeException e) {
        log.error("handler failed path={} error=\"{}\"", path, e.toString(), e);
        r = Response.text(500, "internal error\n");
      }
      write(c, r, !head);
    }
  }

  private static final class BadRequest extends IOException {
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Reads the request head up to the empty line; returns the request line. */
  private String readHead(InputStream in) throws IOException {
    byte[] buf = new byte[limits.maxRequestBytes()];
    int n = 0;
    int lineEnd = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new BadRequest(400, "request ended before its headers did");
      }
      if (n == buf.length) {
        throw new BadRequest(431, "request head larger than " + buf.length + " bytes");
      }
      buf[n++] = (byte) b;
      if (b == '\n') {
        if (lineEnd < 0) {
          lineEnd = n;
        }
        boolean blank =
            (n >= 2 && buf[n - 2] == '\n') || (n >= 3 && buf[n - 2] == '\r' && buf[n - 3] == '\n');
        if (blank) {
          break;
        }
      }
    }
    int end = lineEnd;
    while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r')) {
      end--;
    }
    return new String(buf, 0, end, StandardCharsets.US_ASCII);
  }

  private static void write(Socket c, Response r, boolean body) {
    try {
      OutputStream out = new BufferedOutputStream(c.getOutputStream(), 16384);
      out.write(head(r.status(), r.contentType(), r.length(), ""));
      if (body) {
        out.write(r.body(), 0, r.length());
      }
      out.flush();
    } catch (SocketException e) {
      log.debug("client went away error=\"{}\"", e.toString());
    } catch (IOException e) {
      log.debug("writing a response failed error=\"{}\"", e.toString());
    }
  }

  private static byte[] head(int status, String contentType, int length, String extra) {
    return ("HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + length
            + "\r\nConnection: close\r\n"
            + extra
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  /** End of output (the client reads the end of the answer), then the close. */
  private static void endQuietly(Socket c) {
    try {
      if (!c.isClosed()) {
        c.shutdownOutput();
      }
    } catch (IOException e) {
      log.debug("shutdown failed error=\"{}\"", e.toString());
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Socket c) {
    try {
      c.close();
    } catch (IOException e) {
      log.debug("close failed error=\"{}\"", e.toString());
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops listening, closes open connections' workers and waits briefly for them. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("close failed error=\"{}\"", e.toString());
    }
    workers.shutdownNow();
    watchdog.shutdownNow();
    try {
      acceptor.join(1000);
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
