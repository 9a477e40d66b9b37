package io.sriov.observability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bounded listener over real loopback sockets. */
class MetricsServerTest {
  static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  final CountDownLatch release = new CountDownLatch(1);
  MetricsServer server;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  MetricsServer start(MetricsServer.Limits limits) {
    server =
        MetricsServer.start(
            ANY,
            limits,
            Map.of(
                "/hello",
                () -> MetricsServer.Response.text(200, "hi\n"),
                "/slow",
                () -> {
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return MetricsServer.Response.text(200, "late\n");
                },
                "/boom",
                () -> {
                  throw new IllegalStateException("boom");
                }));
    return server;
  }

  Socket connect() throws IOException {
    Socket s = new Socket(server.address().getAddress(), server.address().getPort());
    s.setSoTimeout(5000);
    return s;
  }

  String exchange(String request) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void answersGetAndHeadWithLengthAndClose() throws IOException {
    start(MetricsServer.Limits.DEFAULT);
    assertThat(exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"))
        .isEqualTo(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n"
                + "Connection: close\r\n\r\nhi\n");
    assertThat(exchange("HEAD /hello?x=1 HTTP/1.0\n\n"))
        .endsWith("Content-Length: 3\r\nConnection: close\r\n\r\n");
    assertThat(exchange("GET /nothing HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 404 Not Found\r\n")
        .endsWith("not found: /nothing\n");
    assertThat(exchange("POST /hello HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 405 Method Not Allowed\r\n")
        .endsWith("method not allowed: POST\n");
    assertThat(exchange("hello\r\n\r\n"))
        .startsWith("HTTP/1.1 400 Bad Request\r\n")
        .endsWith("bad request line\n");
    assertThat(exchange("GET /boom HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 500 Internal Server Error\r\n")
        .endsWith("internal error\n");
  }

  @Test
  void oversizedRequestHeadIsRefused() throws IOException {
    start(new MetricsServer.Limits(2, Duration.ofSeconds(5), Duration.ofSeconds(10), 128));
    assertThat(exchange("GET /hello HTTP/1.1\r\nX: " + "a".repeat(200) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
        .endsWith("request head larger than 128 bytes\n");
  }

  @Test
  void aClientThatSendsNothingTimesOutAndDoesNotBlockOthersForever() throws IOException {
    start(new MetricsServer.Limits(1, Duration.ofMillis(300), Duration.ofSeconds(10), 8192));
    try (Socket idle = connect()) {
      long t0 = System.nanoTime();
      String answer = new String(idle.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("HTTP/1.1 408 Request Timeout\r\n")
          .endsWith("request not received within the timeout\n");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(exchange("GET /hello HTTP/1.1\r\n\r\n")).endsWith("hi\n");
  }

  @Test
  void overTheConcurrencyLimitAnswers503AtOnce() throws Exception {
    start(new MetricsServer.Limits(2, Duration.ofSeconds(5), Duration.ofSeconds(10), 8192));
    List<Socket> busy = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = connect();
        s.getOutputStream().write("GET /slow HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        busy.add(s);
      }
      Thread.sleep(200); // both slots taken by /slow
      long t0 = System.nanoTime();
      assertThat(exchange("GET /hello HTTP/1.1\r\n\r\n"))
          .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
          .contains("Retry-After: 1\r\n")
          .endsWith("busy\n");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      release.countDown();
      for (Socket s : busy) {
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .endsWith("late\n");
      }
      assertThat(exchange("GET /hello HTTP/1.1\r\n\r\n")).endsWith("hi\n");
    } finally {
      for (Socket s : busy) {
        s.close();
      }
    }
  }

  @Test
  void anExchangeOverItsDeadlineIsClosed() throws Exception {
    start(new MetricsServer.Limits(1, Duration.ofSeconds(5), Duration.ofMillis(300), 8192));
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write("GET /slow HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      long t0 = System.nanoTime();
      assertThat(in.readAllBytes()).as("closed without an answer").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void anAddressInUseNamesIt() throws IOException {
    start(MetricsServer.Limits.DEFAULT);
    InetSocketAddress taken = server.address();
    assertThatThrownBy(() -> MetricsServer.start(taken, MetricsServer.Limits.DEFAULT, Map.of()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot listen on 127.0.0.1:" + taken.getPort() + ": Address already in use");
  }

  @Test
  void limitsAreChecked() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new MetricsServer.Limits(0, s, s, 8192))
        .hasMessage("maxConcurrent must be at least 1: 0");
    assertThatThrownBy(() -> new MetricsServer.Limits(1, Duration.ZERO, s, 8192))
        .hasMessage("readTimeout must be positive: PT0S");
    assertThatThrownBy(() -> new MetricsServer.Limits(1, s, s, 10))
        .hasMessage("maxRequestBytes must be at least 64: 10");
  }
}
