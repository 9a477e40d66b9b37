package io.sriov.cluster.testing;

import java.lang.reflect.InvocationTargetException;

/**
 * Chooses the API server of the cluster suites: system property {@value #PROPERTY} {@code mock}
 * (default: fabric8's mock in CRUD mode) or {@code k3s} (set by the {@code -Pk3s} profile, which
 * also compiles {@code testing.k3s.K3sApiServer} and brings in Testcontainers' K3s module).
 */
public final class ApiServers {
  public static final String PROPERTY = "sriov.apiServer";

  static final String K3S_CLASS = "io.sriov.cluster.testing.k3s.K3sApiServer";

  private ApiServers() {}

  /** A started server with the CRDs loaded. */
  public static ApiServer start() {
    String kind = System.getProperty(PROPERTY, "mock");
    return switch (kind) {
      case "mock" -> MockApiServer.start();
      case "k3s" -> k3s();
      default ->
          throw new IllegalArgumentException(
              "system property " + PROPERTY + " takes mock or k3s; got \"" + kind + "\"");
    };
  }

  private static ApiServer k3s() {
    try {
      return (ApiServer) Class.forName(K3S_CLASS).getMethod("start").invoke(null);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          PROPERTY + "=k3s needs the k3s profile (./mvnw -Pk3s ...): " + K3S_CLASS + " not built",
          e);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
