package io.sriov.cluster.testing.k3s;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sriov.cluster.api.Crds;
import io.sriov.cluster.testing.ApiServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real API server for the cluster suites: K3s in a container (Testcontainers' K3s module), the
 * project's CRDs created and established. Built only by the {@code -Pk3s} profile. {@link #stop()}
 * pauses the container (clients time out instead of being refused, as with a node cut off from a
 * real control plane), {@link #restart()} unpauses it.
 */
public final class K3sApiServer implements ApiServer {
  static final DockerImageName IMAGE = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");

  private final K3sContainer k3s;
  private final Config config;
  private final KubernetesClient client;

  private K3sApiServer(K3sContainer k3s) {
    this.k3s = k3s;
    this.config = Config.fromKubeconfig(k3s.getKubeConfigYaml());
    this.client = newClient();
    for (CustomResourceDefinition crd : Crds.load()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  x.getType().equals("Established")
                                      && x.getStatus().equals("True")),
              Duration.ofMinutes(1).toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Starts K3s; without a Docker engine this fails (never skips) naming what is missing.
   *
   * @throws IllegalStateException when Testcontainers finds no Docker engine
   */
  public static K3sApiServer start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(
          "-Pk3s runs the cluster suites against K3s in a container and needs a Docker engine;"
              + " Testcontainers found none (no /var/run/docker.sock, DOCKER_HOST unset). Run it"
              + " where Docker runs: ./mvnw -B verify -Pk3s -pl sriov-cluster -am -Dtest=none"
              + " -Dsurefire.failIfNoSpecifiedTests=false");
    }
    K3sContainer k3s = new K3sContainer(IMAGE);
    k3s.start();
    return new K3sApiServer(k3s);
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public void stop() {
    k3s.getDockerClient().pauseContainerCmd(k3s.getContainerId()).exec();
  }

  @Override
  public void restart() {
    k3s.getDockerClient().unpauseContainerCmd(k3s.getContainerId()).exec();
  }

  /** The API server's own count: {@code apiserver_request_total} for the project's group. */
  @Override
  public int requestCount() {
    String metrics = client.raw("/metrics");
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("apiserver_request_total{")
          && line.contains("group=\"sriovnetwork.openshift.io\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (int) sum;
  }

  @Override
  public void close() {
    client.close();
    k3s.stop();
  }
}
