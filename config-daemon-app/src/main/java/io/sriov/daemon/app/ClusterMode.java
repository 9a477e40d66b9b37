package io.sriov.daemon.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.cluster.drain.ClusterDrainGate;
import io.sriov.cluster.drain.DrainMetrics;
import io.sriov.cluster.nad.NadController;
import io.sriov.cluster.node.ClusterNodeAgent;
import io.sriov.cluster.node.DesiredStatePort;
import io.sriov.core.port.PodResources;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.retry.Backoff;
import io.sriov.daemon.engine.DrainGate;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.engine.ReconcileLoop;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.os.files.FileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster side of a serving daemon in cluster mode ({@code --node-name}), wired from
 * sriov-cluster: {@link ClusterNodeAgent} renders the node's desired state from the API server and
 * hands it to the reconcile loop ({@link DesiredStatePort}), every pass of the loop goes back to it
 * as the node's status ({@link #passed}); {@link ClusterDrainGate} is the loop's drain gate, its
 * {@code recover()} run at start (retried with backoff while the API server is away: a node a
 * previous run cordoned is uncordoned); {@link NadController} joins the Lease election of the NAD
 * renderer. Nothing is handed to the engine before the first rendering ({@link #rendered()}).
 */
final class ClusterMode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterMode.class);

  /**
   * Retries of the start-time drain recovery while the API server is away: 1 s doubling to 30 s.
   */
  private final Backoff recovery = new Backoff(Backoff.Delays.DEFAULT);

  /** A kubeconfig that cannot be used; the message names the file. */
  static final class KubeconfigException extends Exception {
    KubeconfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final DaemonCommandLine.Cluster settings;
  private final KubernetesClient client;
  private final ScheduledExecutorService scheduler;
  private final ClusterDrainGate gate;
  private final ClusterNodeAgent agent;
  private final NadController nads;
  private final AtomicBoolean rendered = new AtomicBoolean();
  private volatile DesiredStatePort port = desired -> {};

  /**
   * The API server's client configuration: {@code --kubeconfig}, or fabric8's default (in-cluster
   * service account, {@code KUBECONFIG}, {@code ~/.kube/config}). Requests are retried once by the
   * client: the daemon retries with its own backoff, and a pass must not wait minutes for an API
   * server that is away.
   *
   * @throws KubeconfigException when {@code --kubeconfig} cannot be read or parsed
   */
  static Config config(DaemonCommandLine.Cluster settings) throws KubeconfigException {
    Config config;
    if (settings.kubeconfig().isPresent()) {
      Path file = settings.kubeconfig().get();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new KubeconfigException(
            "flag --kubeconfig: cannot read " + file + ": " + FileErrors.describe(e), e);
      }
      try {
        config = Config.fromKubeconfig(null, text, file.toString());
      } catch (RuntimeException e) {
        throw new KubeconfigException(
            "flag --kubeconfig: " + file + " is not a usable kubeconfig: " + rootMessage(e), e);
      }
    } else {
      config = Config.autoConfigure(null);
    }
    return new ConfigBuilder(config)
        .withRequestRetryBackoffLimit(1)
        .withConnectionTimeout(5_000)
        .withRequestTimeout(15_000)
        .build();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.replace('\n', ' ');
  }

  /**
   * Builds the cluster side (nothing runs before {@link #start}).
   *
   * @param pods kubelet's PodResources: which pods hold the VFs a plan disrupts
   */
  ClusterMode(
      DaemonCommandLine.Cluster settings,
      Config config,
      PodResources pods,
      ResourcePrefix prefix,
      MeterRegistry meters) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.client = new KubernetesClientBuilder().withConfig(config).build();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sriov-node-cluster");
              t.setDaemon(true);
              return t;
            });
    Clock clock = Clock.systemUTC();
    this.gate =
        new ClusterDrainGate(
            client,
            pods,
            ClusterDrainGate.Settings.defaults(
                settings.nodeName(), settings.namespace(), prefix.value()),
            new DrainMetrics(meters),
            scheduler,
            clock);
    this.agent =
        new ClusterNodeAgent(
            client,
            settings.namespace(),
            settings.nodeName(),
            this::handOver,
            Backoff.Delays.DEFAULT,
            clock);
    apiServerMeters(meters, agent::watching);
    this.nads =
        new NadController(
            client,
            NadController.Settings.defaults(
                settings.namespace(), settings.nodeName(), prefix.value()),
            clock);
  }

  /**
   * {@code sriov.apiserver.reachable} {@code [sriov_apiserver_reachable]}: 1 while every watch of
   * the agent on the API server is open (policies, pools, operator config, the Node), 0 before they
   * first listed and while the API server is away (the node then keeps its last applied state).
   */
  static void apiServerMeters(MeterRegistry meters, BooleanSupplier watching) {
    Gauge.builder("sriov.apiserver.reachable", watching, w -> w.getAsBoolean() ? 1 : 0)
        .description("1 while the daemon's watches on the API server are open, else 0")
        .strongReference(true) // a gauge holds its object weakly: the supplier is held nowhere else
        .register(meters);
  }

  private void handOver(SriovNetworkNodeState desired) {
    rendered.set(true);
    port.desiredChanged(desired);
  }

  /** The reconcile loop's drain gate. */
  DrainGate gate() {
    return gate;
  }

  /**
   * Starts the drain recovery, the agent (rendered desired states to {@code loop}) with the first
   * pass as the node's status, and the NAD election.
   */
  void start(DesiredStatePort loop, NodeEngine.Pass first) {
    this.port = Objects.requireNonNull(loop, "loop");
    log.info(
        "cluster mode node={} namespace={} apiServer={}",
        settings.nodeName(),
        settings.namespace(),
        client.getMasterUrl());
    scheduler.execute(this::recover);
    agent.start();
    agent.observed(first.state());
    nads.start();
  }

  /**
   * Uncordons a node a previous run cordoned and frees its drain slots; while the API server is
   * away, retried with backoff (logged when it starts waiting and when it is done). The gate's
   * first admit recovers too, so whichever comes first does it.
   */
  private void recover() {
    if (gate.recovered()) {
      return;
    }
    try {
      gate.recover();
      if (recovery.succeeded() > 0) {
        log.info("drain recovery done, API server reachable node={}", settings.nodeName());
      }
    } catch (KubernetesClientException e) {
      if (recovery.failed(rootMessage(e), System.nanoTime())) {
        log.warn(
            "drain recovery waits for the API server (uncordon if a previous run cordoned)"
                + " node={} error=\"{}\"",
            settings.nodeName(),
            rootMessage(e));
      }
      scheduler.schedule(this::recover, recovery.delay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Whether a desired state rendered from the API server has been handed to the engine. */
  boolean rendered() {
    return rendered.get();
  }

  /** Every pass of the loop: the node's status, published by the agent. */
  void passed(ReconcileLoop.Cause cause, NodeEngine.Pass pass) {
    agent.observed(pass.state());
  }

  @Override
  public void close() {
    nads.close();
    agent.close();
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }
}
