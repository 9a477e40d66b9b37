package io.sriov.cluster.node;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sriov.cluster.api.NodeStateConversion;
import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkPoolConfig;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.render.NodeRenderer;
import io.sriov.cluster.render.PolicyProblem;
import io.sriov.core.retry.Backoff;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.state.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's cluster side for its own node: watches (informers) the policies, the pool configs
 * and the {@code default} SriovOperatorConfig in the daemons' namespace and its own Node, renders
 * the node's desired state ({@link NodeRenderer}) and hands it to the node engine through the
 * {@link DesiredStatePort}; publishes the rendered spec and the engine's status on the node's
 * {@code SriovNetworkNodeState} ({@link NodeStateWriter}) with upstream's {@code syncStatus}
 * transitions and {@code SyncStatusChanged} events, and rejected policies as {@code Warning} events
 * and in {@code lastSyncError}.
 *
 * <p>All work runs on one thread; informer callbacks and {@link #observed} only schedule it. When
 * the API server cannot be reached the node keeps its last applied state (nothing is handed to the
 * engine), the writes are retried with exponential backoff, and the return is logged.
 */
public final class ClusterNodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNodeAgent.class);

  /** How often the agent looks whether its informers have listed, until they have. */
  static final Duration SYNC_POLL = Duration.ofMillis(250);

  private final KubernetesClient client;
  private final String namespace;
  private final String nodeName;
  private final DesiredStatePort port;
  private final Clock clock;
  private final NodeRenderer renderer = new NodeRenderer();
  private final NodeStateWriter writer;
  private final ScheduledExecutorService executor;
  // read by watching() from other threads (a metrics scrape)
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private SharedIndexInformer<SriovNetworkNodePolicy> policies;
  private SharedIndexInformer<SriovNetworkPoolConfig> pools;
  private SharedIndexInformer<SriovOperatorConfig> operatorConfig;
  private SharedIndexInformer<Node> node;

  // state below: the agent's thread only
  private SriovNetworkNodeState observed; // the engine's last pass
  private NodeStateSpec handed; // last spec given to the engine
  private boolean inProgress; // handed and not yet reported back by the engine
  private List<PolicyProblem> pendingProblems = List.of(); // of the last rendering
  private List<String> pendingNotes = List.of();
  private List<PolicyProblem> reportedProblems = List.of();
  private List<String> reportedNotes = List.of();
  private String waitingReported;
  private String publishedSync = "";
  private final Backoff retries; // of sync() while the API server is away
  private Instant downSince;
  private ScheduledFuture<?> retry;
  private ScheduledFuture<?> syncWait;
  private boolean syncQueued;

  public ClusterNodeAgent(
      KubernetesClient client,
      String namespace,
      String nodeName,
      DesiredStatePort port,
      Backoff.Delays backoff,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.port = Objects.requireNonNull(port, "port");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.writer = new NodeStateWriter(client, namespace, nodeName, clock);
    this.retries = new Backoff(Objects.requireNonNull(backoff, "backoff"));
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sriov-cluster-" + nodeName);
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the informers; rendering begins with the engine's first {@link #observed} pass. */
  public void start() {
    ResourceEventHandler<HasMetadata> kick =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(HasMetadata obj) {
            schedule();
          }

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            schedule();
          }

          @Override
          public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            schedule();
          }
        };
    policies =
        inform(
            client
                .resources(SriovNetworkNodePolicy.class)
                .inNamespace(namespace)
                .runnableInformer(0),
            kick);
    pools =
        inform(
            client
                .resources(SriovNetworkPoolConfig.class)
                .inNamespace(namespace)
                .runnableInformer(0),
            kick);
    operatorConfig =
        inform(
            client
                .resources(SriovOperatorConfig.class)
                .inNamespace(namespace)
                .withName(SriovOperatorConfig.DEFAULT_NAME)
                .runnableInformer(0),
            kick);
    node = inform(client.nodes().withName(nodeName).runnableInformer(0), kick);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      SharedIndexInformer<T> informer, ResourceEventHandler<HasMetadata> handler) {
    informer.addEventHandler((ResourceEventHandler) handler);
    // the informer retries its list/watch on its own while the API server is away
    informer.exceptionHandler((started, t) -> true);
    informer.start();
    informers.add(informer);
    return informer;
  }

  /** The engine's pass (spec as applied, status as observed): published, and renders start. */
  public void observed(SriovNetworkNodeState state) {
    Objects.requireNonNull(state, "state");
    executor.execute(
        () -> {
          observed = state;
          if (handed != null && handed.equals(state.spec())) {
            inProgress = false;
          }
          sync();
        });
  }

  private synchronized void schedule() {
    if (!syncQueued) {
      syncQueued = true;
      executor.execute(
          () -> {
            synchronized (this) {
              syncQueued = false;
            }
            sync();
          });
    }
  }

  /** Renders, hands a changed spec to the engine, publishes; on API errors retries later. */
  private void sync() {
    if (observed == null) {
      return; // upstream writes no spec before the daemon reported its interfaces
    }
    try {
      renderAndHand();
      publish();
      if (downSince != null) {
        log.info(
            "API server reachable again node={} after={}s",
            nodeName,
            Duration.between(downSince, clock.instant()).toSeconds());
        downSince = null;
      }
      retries.succeeded();
    } catch (KubernetesClientException e) {
      retries.failed(oneLine(e), System.nanoTime());
      Duration delay = retries.delay();
      if (downSince == null) {
        downSince = clock.instant();
        log.warn(
            "API server unreachable, keeping the last applied state node={} error=\"{}\"",
            nodeName,
            oneLine(e));
      } else {
        log.debug("API server still unreachable node={} retryIn={}ms", nodeName, delay.toMillis());
      }
      if (retry == null || retry.isDone()) {
        retry = executor.schedule(this::sync, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void renderAndHand() {
    Node self = node.getStore().getByKey(nodeName);
    if (!informersSynced()) {
      // not listed yet (or the API server was never reached): keep what is applied; an informer
      // that syncs an empty list raises no event, so look again
      if (syncWait == null || syncWait.isDone()) {
        syncWait = executor.schedule(this::sync, SYNC_POLL.toMillis(), TimeUnit.MILLISECONDS);
      }
      return;
    }
    if (self == null) {
      return; // the Node's own add event renders
    }
    NodeRenderer.Result result =
        renderer.render(
            new NodeRenderer.Input(
                Optional.ofNullable(self.getMetadata().getLabels()).orElse(Map.of()),
                observed.status().interfaces(),
                policies.getStore().list(),
                pools.getStore().list(),
                Optional.ofNullable(
                    operatorConfig
                        .getStore()
                        .getByKey(namespace + "/" + SriovOperatorConfig.DEFAULT_NAME))));
    switch (result) {
      case NodeRenderer.Result.Waiting w -> {
        if (!w.reason().equals(waitingReported)) {
          log.warn("not rendering node={} reason=\"{}\"", nodeName, w.reason());
          waitingReported = w.reason();
        }
      }
      case NodeRenderer.Result.Rendered r -> {
        waitingReported = null;
        if (!r.spec().equals(handed)) {
          handed = r.spec();
          inProgress = !r.spec().equals(observed.spec());
          log.info(
              "rendered node={} policies={} interfaces={}",
              nodeName,
              r.applied(),
              r.spec().interfaces().size());
          port.desiredChanged(SriovNetworkNodeState.of(nodeName, r.spec()));
        }
        pendingProblems = r.rejected();
        pendingNotes = r.notes();
      }
    }
  }

  private boolean informersSynced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  private void publish() {
    Node self = node.getStore().getByKey(nodeName);
    if (self == null) {
      return;
    }
    if (writer.current().isEmpty()) {
      writer.ensure(self);
    }
    NodeStateStatus status = statusToPublish();
    if (handed != null && !handed.equals(writer.current().orElseThrow().getSpec())) {
      // InProgress before the new spec: a reader never sees the new spec with the old result
      NodeStateStatus old = writer.current().orElseThrow().getStatus();
      writeStatus(
          new NodeStateStatus(
              status.interfaces(),
              SyncStatus.IN_PROGRESS.wireName(),
              old.lastSyncError(),
              status.bridges(),
              status.system(),
              List.of()));
      writer.writeSpec(handed);
    }
    writeStatus(status);
    publishedSync = status.syncStatus();
    if (!pendingProblems.equals(reportedProblems)) {
      for (PolicyProblem p : pendingProblems) {
        if (!reportedProblems.contains(p)) {
          writer.event("Warning", "PolicyRejected", p.render());
          log.warn("policy rejected node={} {}", nodeName, p.render());
        }
      }
      reportedProblems = pendingProblems;
    }
    if (!pendingNotes.equals(reportedNotes)) {
      for (String n : pendingNotes) {
        if (!reportedNotes.contains(n)) {
          writer.event("Warning", "NodeNotRendered", n);
          log.warn("node={} {}", nodeName, n);
        }
      }
      reportedNotes = pendingNotes;
    }
  }

  private void writeStatus(NodeStateStatus status) {
    String before = writer.current().map(s -> s.getStatus().syncStatus()).orElse("");
    if (writer.writeStatus(status) && !status.syncStatus().equals(before)) {
      writer.event(
          status.syncStatus().equals(SyncStatus.FAILED.wireName()) ? "Warning" : "Normal",
          "SyncStatusChanged",
          "Status changed from: "
              + before
              + " to: "
              + status.syncStatus()
              + ". Last Error: "
              + status.lastSyncError());
    }
  }

  /**
   * The engine's status; {@code InProgress} (keeping the last error) while a handed spec is being
   * applied; rejected policies make it {@code Failed} and are listed in {@code lastSyncError}.
   */
  private NodeStateStatus statusToPublish() {
    NodeStateStatus s = observed.status();
    String sync = inProgress ? SyncStatus.IN_PROGRESS.wireName() : s.syncStatus();
    String error = s.lastSyncError();
    if (!pendingProblems.isEmpty()) {
      String problems =
          pendingProblems.stream().map(PolicyProblem::render).collect(Collectors.joining("; "));
      error = error.isEmpty() ? problems : error + "; " + problems;
      if (!inProgress) {
        sync = SyncStatus.FAILED.wireName();
      }
    }
    return new NodeStateStatus(s.interfaces(), sync, error, s.bridges(), s.system(), List.of());
  }

  /** Whether every informer has a watch open (after an API server outage: reconnected). */
  public boolean watching() {
    return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::isWatching);
  }

  /** The {@code syncStatus} last published, for tests and health. */
  public String publishedSyncStatus() {
    try {
      return executor.submit(() -> publishedSync).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cluster object last read or written, converted for the engine's tools. */
  public Optional<SriovNetworkNodeState> published() {
    try {
      return executor.submit(() -> writer.current().map(NodeStateConversion::toEngine)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String oneLine(KubernetesClientException e) {
    String m = e.getCause() != null ? e.getCause().toString() : e.getMessage();
    return m == null ? e.toString() : m.replace('\n', ' ');
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
