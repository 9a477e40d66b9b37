package io.sriov.cluster.nad;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NAD renderer of the cluster: one daemon at a time, elected through the Lease {@value
 * #LEASE_NAME} in the daemons' namespace (fabric8's {@code LeaderElector}, released on a clean
 * stop), watches SriovNetworks, SriovIBNetworks, OVSNetworks, NetworkAttachmentDefinitions and
 * Namespaces and reconciles each affected network with {@link NadReconciler} on one worker thread:
 * a network change, a NAD changed or deleted by someone else (upstream's {@code handleNetAttDef}:
 * the network of the same name in the NAD's namespace or in the daemons' namespace), a namespace
 * created (networks waiting for it). A failed reconcile is retried with backoff (1 s doubling to 1
 * min); leadership lost stops the watches and the worker.
 */
public final class NadController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NadController.class);

  /** The Lease the daemons elect the NAD renderer with. */
  public static final String LEASE_NAME = "sriov-network-nad-renderer";

  /**
   * @param namespace the daemons' namespace
   * @param identity this daemon's identity in the Lease (its node name)
   * @param leaseDuration how long a dead leader keeps the role (upstream's controller-runtime
   *     default: 137 s; here 15 s)
   * @param renewDeadline how long the leader keeps trying to renew before it gives up the role
   * @param retryPeriod how often candidates try and the leader renews
   */
  public record Settings(
      String namespace,
      String identity,
      String resourcePrefix,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    public Settings {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(resourcePrefix, "resourcePrefix");
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      Objects.requireNonNull(retryPeriod, "retryPeriod");
    }

    public static Settings defaults(String namespace, String identity, String resourcePrefix) {
      return new Settings(
          namespace,
          identity,
          resourcePrefix,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }
  }

  private record Key(NetworkKind kind, String namespace, String name) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final NadReconciler reconciler;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final Object lock = new Object();
  private final Set<Key> queued = new LinkedHashSet<>();
  private final Map<Key, Duration> backoff = new HashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private ScheduledExecutorService worker;
  private CompletableFuture<?> election;
  private boolean closed; // guarded by this

  public NadController(KubernetesClient client, Settings settings, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.reconciler =
        new NadReconciler(
            client, settings.namespace(), new NadRenderer(settings.resourcePrefix()), clock);
  }

  /** Joins the election; renders while elected, until {@link #close()}. */
  public synchronized void start() {
    if (election != null) {
      throw new IllegalStateException("already started");
    }
    join();
  }

  /**
   * Campaigns; fabric8's elector ends once leadership is lost (an API server outage longer than the
   * renew deadline), so the daemon campaigns again after a retry period until closed.
   */
  private synchronized void join() {
    if (closed) {
      return;
    }
    CompletableFuture<?> joined =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName("sriov-nad-renderer")
                    .withLock(new LeaseLock(settings.namespace(), LEASE_NAME, settings.identity()))
                    .withLeaseDuration(settings.leaseDuration())
                    .withRenewDeadline(settings.renewDeadline())
                    .withRetryPeriod(settings.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            this::startLeading,
                            this::stopLeading,
                            leader -> log.info("nad renderer leader={}", leader)))
                    .build())
            .build()
            .start();
    election = joined;
    joined.whenComplete(
        (r, t) ->
            CompletableFuture.delayedExecutor(
                    settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> rejoin(joined)));
  }

  private synchronized void rejoin(CompletableFuture<?> ended) {
    if (!closed && election == ended) {
      log.info("nad renderer campaigning again identity={}", settings.identity());
      join();
    }
  }

  /** True while this daemon renders the NADs. */
  public boolean isLeader() {
    return leading.get();
  }

  private void startLeading() {
    synchronized (lock) {
      leading.set(true);
      worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "nad-renderer"));
      for (NetworkKind kind : NetworkKind.values()) {
        informers.add(
            client
                .resources(kind.type())
                .inAnyNamespace()
                .inform(handler(o -> enqueue(new Key(kind, ns(o), name(o))))));
      }
      informers.add(
          client
              .genericKubernetesResources(NadReconciler.NAD)
              .inAnyNamespace()
              .inform(handler(this::nadChanged)));
      informers.add(client.namespaces().inform(handler(this::namespaceChanged)));
    }
    log.info("nad renderer started identity={}", settings.identity());
  }

  private void stopLeading() {
    synchronized (lock) {
      if (!leading.getAndSet(false)) {
        return;
      }
      informers.forEach(SharedIndexInformer::close);
      informers.clear();
      worker.shutdownNow();
      queued.clear();
      backoff.clear();
    }
    log.info("nad renderer stopped identity={}", settings.identity());
  }

  private void nadChanged(GenericKubernetesResource nad) {
    for (NetworkKind kind : NetworkKind.values()) {
      enqueue(new Key(kind, ns(nad), name(nad)));
      if (!settings.namespace().equals(ns(nad))) {
        enqueue(new Key(kind, settings.namespace(), name(nad)));
      }
    }
  }

  /** A namespace appeared: the networks waiting for it (every network, cheaply re-checked). */
  private void namespaceChanged(Namespace namespace) {
    List<SharedIndexInformer<?>> now;
    synchronized (lock) {
      now = List.copyOf(informers);
    }
    for (SharedIndexInformer<?> informer : now) {
      for (Object o : informer.getStore().list()) {
        for (NetworkKind kind : NetworkKind.values()) {
          if (kind.type().isInstance(o)) {
            enqueue(new Key(kind, ns((HasMetadata) o), name((HasMetadata) o)));
          }
        }
      }
    }
  }

  private void enqueue(Key key) {
    synchronized (lock) {
      if (leading.get() && queued.add(key)) {
        worker.execute(() -> run(key));
      }
    }
  }

  private void run(Key key) {
    synchronized (lock) {
      queued.remove(key);
    }
    try {
      reconciler.reconcile(key.kind(), key.namespace(), key.name());
      synchronized (lock) {
        backoff.remove(key);
      }
    } catch (RuntimeException e) {
      // API errors (KubernetesClientException) and anything unexpected: never a hot loop.
      retry(key, e);
    }
  }

  private void retry(Key key, RuntimeException e) {
    synchronized (lock) {
      if (!leading.get()) {
        return;
      }
      Duration d = backoff.getOrDefault(key, Duration.ofMillis(500)).multipliedBy(2);
      if (d.compareTo(Duration.ofMinutes(1)) > 0) {
        d = Duration.ofMinutes(1);
      }
      backoff.put(key, d);
      log.warn(
          "nad reconcile failed kind={} network={}/{} retryInMs={} error={}",
          key.kind(),
          key.namespace(),
          key.name(),
          d.toMillis(),
          e.getMessage());
      worker.schedule(() -> enqueue(key), d.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.accept(obj);
      }
    };
  }

  private static String ns(HasMetadata o) {
    return o.getMetadata().getNamespace();
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }

  /** Leaves the election (releasing the Lease when leading) and stops rendering. */
  @Override
  public synchronized void close() {
    closed = true;
    if (election != null) {
      election.cancel(true);
      election = null;
    }
    stopLeading();
  }
}
