package io.sriov.cluster.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The record of the API calls the daemons make at the mock API server, from which the chart's RBAC
 * is checked (charts' {@code RbacTest}). A daemon's client ({@link #daemonClient}) marks each of
 * its requests with the header {@value #HEADER}; {@link #record} takes the requests the server
 * received, keeps the marked ones and writes each distinct call as a line of {@code
 * target/api-calls/<suite>.tsv}: verb, API group ({@code core}), resource, subresource ({@code -}),
 * scope ({@code cluster}: a cluster-scoped object or all namespaces, what only a ClusterRole
 * grants; {@code own-namespace}: the daemon's namespace; {@code other-namespace}).
 *
 * <p>Each suite's file holds the union of its tests' calls in this JVM (the first record of a run
 * replaces the file of an earlier run).
 */
public final class ApiCallLog {
  /** The header marking a daemon's requests. */
  public static final String HEADER = "X-Sriov-Test-Client";

  private static final String DAEMON = "daemon";
  private static final Path DIR = Path.of("target", "api-calls");
  private static final Map<String, SortedSet<String>> BY_SUITE = new ConcurrentHashMap<>();

  private ApiCallLog() {}

  /** A client of {@code server} whose requests count as the daemon's (the caller closes it). */
  public static KubernetesClient daemonClient(KubernetesMockServer server) {
    Interceptor mark =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.setHeader(HEADER, DAEMON);
          }
        };
    return server.createClient(
        b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor(HEADER, mark)));
  }

  /**
   * Takes every request {@code server} has received so far and adds the daemons' calls to {@code
   * suite}'s file.
   *
   * @param namespace the daemons' namespace (their Role's)
   */
  public static void record(DefaultMockServer server, Class<?> suite, String namespace) {
    record(take(server), suite, namespace);
  }

  /** Takes every request {@code server} has received so far (its count stays). */
  static List<RecordedRequest> take(DefaultMockServer server) {
    List<RecordedRequest> requests = new ArrayList<>();
    try {
      for (RecordedRequest r; (r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
        requests.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while taking the recorded requests", e);
    }
    return requests;
  }

  static void record(List<RecordedRequest> requests, Class<?> suite, String namespace) {
    SortedSet<String> calls = BY_SUITE.computeIfAbsent(suite.getSimpleName(), s -> new TreeSet<>());
    synchronized (calls) {
      for (RecordedRequest r : requests) {
        if (DAEMON.equals(r.getHeader(HEADER))) {
          calls.add(call(r.getMethod(), r.getPath(), namespace));
        }
      }
      try {
        Files.createDirectories(DIR);
        Files.write(
            DIR.resolve(suite.getSimpleName() + ".tsv"),
            List.copyOf(calls),
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * One request as a call line: {@code GET /apis/coordination.k8s.io/v1/namespaces/ns/leases/x} is
   * {@code get coordination.k8s.io leases - own-namespace}.
   */
  static String call(String method, String pathAndQuery, String namespace) {
    URI uri = URI.create(pathAndQuery);
    String[] seg = uri.getPath().replaceAll("^/+|/+$", "").split("/");
    int rest; // index of the first segment after the version
    String group;
    if (seg.length >= 2 && seg[0].equals("api")) {
      group = "core";
      rest = 2;
    } else if (seg.length >= 3 && seg[0].equals("apis")) {
      group = seg[1];
      rest = 3;
    } else {
      throw new IllegalArgumentException("not a resource path: " + pathAndQuery);
    }
    List<String> tail = List.of(seg).subList(rest, seg.length);
    String scope;
    if (tail.size() >= 3 && tail.get(0).equals("namespaces")) {
      scope = tail.get(1).equals(namespace) ? "own-namespace" : "other-namespace";
      tail = tail.subList(2, tail.size());
    } else if (tail.isEmpty()) {
      throw new IllegalArgumentException("not a resource path: " + pathAndQuery);
    } else {
      scope = "cluster";
    }
    String resource = tail.get(0);
    boolean named = tail.size() >= 2;
    String subresource = tail.size() >= 3 ? tail.get(2) : "-";
    String query = uri.getQuery() == null ? "" : "&" + uri.getQuery() + "&";
    String verb =
        switch (method) {
          case "GET" -> named ? "get" : query.contains("&watch=true&") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default ->
              throw new IllegalArgumentException("no RBAC verb for " + method + " " + pathAndQuery);
        };
    return String.join("\t", verb, group, resource, subresource, scope);
  }
}
