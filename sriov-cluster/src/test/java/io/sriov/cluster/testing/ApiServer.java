package io.sriov.cluster.testing;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The API server a cluster suite runs against, with the project's CRDs created: fabric8's mock
 * ({@link MockApiServer}, the default) or K3s in a container ({@code -Pk3s}). {@link
 * ApiServers#start()} is the one place that chooses.
 */
public interface ApiServer extends AutoCloseable {
  /** A client of this server (closed with it). */
  KubernetesClient client();

  /** A new client of this server (the caller closes it): one per simulated daemon. */
  KubernetesClient newClient();

  /** Makes the server unreachable for clients; the objects are kept. */
  void stop();

  /** Makes it reachable again with the same objects. */
  void restart();

  /**
   * Requests served so far, counted at the server (the mock: every request; K3s: the requests for
   * {@code sriovnetwork.openshift.io} objects, as its own controllers make others all the time).
   */
  int requestCount();

  @Override
  void close();
}
