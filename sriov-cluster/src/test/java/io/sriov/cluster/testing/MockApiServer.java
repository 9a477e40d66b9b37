package io.sriov.cluster.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.sriov.cluster.api.Crds;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode, with the module's CRDs created in it (from {@code
 * src/main/resources/crds}, the same documents the chart ships). Its per-request logging goes
 * through java.util.logging and is silenced to WARNING. Expectations ({@link #expect()}) answer
 * before the CRUD store, for what the mock lacks (the Eviction API). Every request is counted at
 * the server by client, verb and resource ({@link #requests()}).
 *
 * <p>What it cannot prove (no schema validation, defaulting or pruning, no server-side apply, no
 * watch history) is what the {@code -Pk3s} profile runs the suites on K3s for ({@link ApiServers});
 * see the module README.
 */
public final class MockApiServer implements ApiServer {
  // Held so that the logger's level survives garbage collection of the LogManager's weak ref.
  private static final List<Logger> SILENCED =
      List.of(Logger.getLogger("io.fabric8.mockwebserver"), Logger.getLogger("okhttp3"));

  static {
    SILENCED.forEach(l -> l.setLevel(Level.WARNING));
  }

  // the stored objects and expectations: kept across stop() and restart(), as etcd keeps them
  private final Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
  private final ApiRequestCounter dispatcher =
      new ApiRequestCounter(new KubernetesMixedDispatcher(expectations));
  private KubernetesMockServer server;
  // requests taken from a server before stop(), for the API call record
  private final List<RecordedRequest> taken = new ArrayList<>();
  private final KubernetesClient client;
  private final int port;

  private MockApiServer(int port) {
    this.server = listen(port);
    this.port = server.getPort();
    this.client = server.createClient();
    for (CustomResourceDefinition crd : Crds.load()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  private KubernetesMockServer listen(int port) {
    KubernetesMockServer s =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), expectations, dispatcher, false);
    s.init(InetAddress.getLoopbackAddress(), port);
    return s;
  }

  /** Stops listening (clients get connection errors); the objects are kept. */
  @Override
  public synchronized void stop() {
    taken.addAll(ApiCallLog.take(server));
    server.destroy();
  }

  /** Listens again on the same port with the same objects. */
  @Override
  public synchronized void restart() {
    server = listen(port);
  }

  /** Requests served so far, counted at the server. */
  @Override
  public synchronized int requestCount() {
    return server.getRequestCount();
  }

  /** The requests served so far by client, verb and resource, counted at the server. */
  public ApiRequestCounter requests() {
    return dispatcher;
  }

  /** A canned answer, tried before the CRUD store (kept across {@link #restart()}). */
  public synchronized MockServerExpectation expect() {
    return server.expect();
  }

  /**
   * A new client of this server for a daemon (the caller closes it): its requests are the daemon's
   * in {@link #recordDaemonCalls}.
   */
  @Override
  public KubernetesClient newClient() {
    return ApiCallLog.daemonClient(server);
  }

  /** Adds the calls the daemons' clients made so far to {@code suite}'s {@link ApiCallLog}. */
  public synchronized void recordDaemonCalls(Class<?> suite, String namespace) {
    taken.addAll(ApiCallLog.take(server));
    ApiCallLog.record(taken, suite, namespace);
    taken.clear();
  }

  /**
   * A new client sending {@code userAgent} as its {@code User-Agent}, the name its requests are
   * counted under (the caller closes it).
   */
  public KubernetesClient newClient(String userAgent) {
    return server.createClient(b -> b.editOrNewConfig().withUserAgent(userAgent).endConfig());
  }

  /** A server on a free loopback port with the CRDs loaded. */
  public static MockApiServer start() {
    return new MockApiServer(0);
  }

  /** A client of this server (closed with it). */
  @Override
  public KubernetesClient client() {
    return client;
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /**
   * Writes a kubeconfig for a daemon in another process (plain HTTP on the loopback port, no
   * credentials: the mock asks for none) and returns {@code file}.
   */
  public Path writeKubeconfig(Path file) throws IOException {
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: http://127.0.0.1:%d
        users:
        - name: daemon
          user: {}
        contexts:
        - name: mock
          context:
            cluster: mock
            user: daemon
        current-context: mock
        """
            .formatted(port));
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
