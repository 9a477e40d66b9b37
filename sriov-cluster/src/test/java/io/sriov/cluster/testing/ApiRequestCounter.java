package io.sriov.cluster.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the mock API server answers, at the server, by client (its {@code
 * User-Agent}), verb and resource, then hands each to the real dispatcher. Verbs are the API
 * server's own (audit log) names: {@code get}, {@code list}, {@code watch}, {@code create}, {@code
 * update}, {@code patch}, {@code delete}; the resource is the plural name, with a subresource after
 * a slash ({@code sriovnetworknodestates/status}, {@code pods/eviction}).
 */
public final class ApiRequestCounter extends Dispatcher {

  /** One kind of request. */
  public record Key(String client, String verb, String resource) implements Comparable<Key> {
    public Key {
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(resource, "resource");
    }

    /** {@code verb resource}, as a line of the benchmark's table. */
    public String verbResource() {
      return verb + " " + resource;
    }

    @Override
    public int compareTo(Key o) {
      int c = client.compareTo(o.client);
      if (c != 0) {
        return c;
      }
      c = resource.compareTo(o.resource);
      return c != 0 ? c : verb.compareTo(o.verb);
    }
  }

  private final Dispatcher delegate;
  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

  public ApiRequestCounter(Dispatcher delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String agent = request.getHeader("User-Agent");
    counts
        .computeIfAbsent(
            classify(agent == null ? "" : agent, request.getMethod(), request.getPath()),
            k -> new LongAdder())
        .increment();
    return delegate.dispatch(request);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  /** The counts so far (a copy, sorted). */
  public Map<Key, Long> snapshot() {
    Map<Key, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** What {@code after} has more than {@code before}, zero lines left out. */
  public static Map<Key, Long> since(Map<Key, Long> before, Map<Key, Long> after) {
    Map<Key, Long> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d != 0) {
            out.put(k, d);
          }
        });
    return out;
  }

  /**
   * The verb and resource of one request, as the API server names them.
   *
   * @param path the request path with its query, e.g. {@code /api/v1/namespaces/ns/pods?watch=true}
   * @throws IllegalArgumentException when the path is not under {@code /api} or {@code /apis}
   */
  public static Key classify(String client, String method, String path) {
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String[] parts = (q < 0 ? path : path.substring(0, q)).replaceAll("^/+|/+$", "").split("/");
    // /api/<version>/... (core) or /apis/<group>/<version>/...
    int at;
    if (parts[0].equals("api") && parts.length >= 2) {
      at = 2;
    } else if (parts[0].equals("apis") && parts.length >= 3) {
      at = 3;
    } else {
      throw new IllegalArgumentException("not an API path: " + path);
    }
    if (parts.length <= at) {
      return new Key(client, "get", "discovery");
    }
    if (parts[at].equals("namespaces") && parts.length > at + 2) {
      at += 2; // a namespaced resource: skip namespaces/<ns>
    }
    String resource = parts[at];
    boolean named = parts.length > at + 1;
    if (parts.length > at + 2) {
      resource = resource + "/" + parts[at + 2];
    }
    String verb =
        switch (method) {
          case "GET" ->
              query.matches("(^|.*&)watch=(true|1)(&.*|$)") ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase(Locale.ROOT);
        };
    return new Key(client, verb, resource);
  }
}
