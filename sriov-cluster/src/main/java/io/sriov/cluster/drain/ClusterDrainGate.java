package io.sriov.cluster.drain;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.lease.SlotLeases;
import io.sriov.core.port.PodResources;
import io.sriov.daemon.engine.DrainGate;
import io.sriov.daemon.plan.DisruptedVf;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's answer to the node engine's {@link DrainGate}, replacing upstream's drain
 * controller with the daemons themselves: a plan that takes VFs away from running pods (kubelet
 * says which) is admitted once those pods are evicted, at most {@code maxUnavailable} nodes of a
 * pool at once.
 *
 * <ol>
 *   <li>no running pod holds a disrupted VF: admitted at once, no drain (upstream drains anyway),
 *       and no request to the API server while kubelet answers;
 *   <li>{@code disableDrain} in the {@code default} SriovOperatorConfig: admitted at once;
 *   <li>the node's pool ({@link DrainPools}) has a free slot ({@link SlotLeases}, one Lease per
 *       slot, renewed while held), else deferred naming who drains;
 *   <li>cordon ({@link NodeCordon}, marked on the Node), evict the pods holding the VFs through the
 *       Eviction API ({@link PodEvictor}), bounded by the drain timeout; a timeout (a
 *       PodDisruptionBudget that keeps refusing, a pod that does not terminate) or a lost slot
 *       uncordons, frees the slot and defers, so no node stays cordoned by a stuck drain;
 *   <li>admitted; after the apply the release uncordons and frees the slot.
 * </ol>
 *
 * A daemon killed mid-drain stops renewing, so its slot expires and the pool goes on; its next
 * start calls {@link #recover()}, which uncordons the node it cordoned and frees its slots; the
 * first {@link #admit} recovers first when that has not succeeded yet (the API server was away at
 * start), so a slot this run takes is never freed as a dead run's. One gate per daemon; {@link
 * #admit} is called by the node engine's pass, one at a time.
 */
public final class ClusterDrainGate implements DrainGate {
  private static final Logger log = LoggerFactory.getLogger(ClusterDrainGate.class);

  /**
   * @param node this daemon's node
   * @param namespace the daemon's namespace: Leases, SriovNetworkPoolConfigs, SriovOperatorConfig
   * @param resourcePrefix upstream's {@code RESOURCE_PREFIX} (the fallback when kubelet's pod
   *     resources cannot be read)
   * @param drainTimeout how long evictions may take before the drain gives up (upstream: 90 s)
   * @param leaseDuration how long a slot outlives its holder's last renewal
   * @param poll eviction retry and pod deletion check interval
   */
  public record Settings(
      String node,
      String namespace,
      String resourcePrefix,
      Duration drainTimeout,
      Duration leaseDuration,
      Duration poll) {
    public Settings {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(resourcePrefix, "resourcePrefix");
      Objects.requireNonNull(drainTimeout, "drainTimeout");
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(poll, "poll");
    }

    /** Upstream's figures: 90 s drain timeout; 30 s leases; 1 s polling. */
    public static Settings defaults(String node, String namespace, String resourcePrefix) {
      return new Settings(
          node,
          namespace,
          resourcePrefix,
          Duration.ofSeconds(90),
          Duration.ofSeconds(30),
          Duration.ofSeconds(1));
    }
  }

  /** The Lease name prefix of the drain slots. */
  public static final String LEASE_PREFIX = "sriov-drain";

  private final KubernetesClient client;
  private final Settings settings;
  private final VfHolders holders;
  private final DrainPools pools;
  private final SlotLeases leases;
  private final NodeCordon cordon;
  private final PodEvictor evictor;
  private final DrainMetrics metrics;
  private final ScheduledExecutorService renewer;
  private final Clock clock;
  private boolean recovered; // guarded by this

  /**
   * @param renewer runs the slot renewals while a drain holds one (the daemon's scheduler)
   */
  public ClusterDrainGate(
      KubernetesClient client,
      PodResources podResources,
      Settings settings,
      DrainMetrics metrics,
      ScheduledExecutorService renewer,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.renewer = Objects.requireNonNull(renewer, "renewer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.holders = new VfHolders(podResources, client, settings.node(), settings.resourcePrefix());
    this.pools = new DrainPools(client, settings.namespace());
    this.leases =
        new SlotLeases(
            client,
            settings.namespace(),
            LEASE_PREFIX,
            settings.node(),
            settings.leaseDuration(),
            clock);
    this.cordon = new NodeCordon(client, settings.node());
    this.evictor = new PodEvictor(client, clock, settings.poll(), metrics);
  }

  /**
   * What a daemon does at start: uncordons the node if a previous run of it cordoned it (and died
   * before its release) and frees the drain slots that run held.
   *
   * @return true when there was something to undo
   */
  public synchronized boolean recover() {
    boolean uncordoned = cordon.uncordon();
    int freed = leases.releaseAll();
    if (uncordoned || freed > 0) {
      log.info(
          "previous drain undone node={} uncordoned={} slotsFreed={}",
          settings.node(),
          uncordoned,
          freed);
    }
    metrics.state(DrainMetrics.State.IDLE);
    recovered = true;
    return uncordoned || freed > 0;
  }

  /** Whether {@link #recover()} has succeeded in this run. */
  public synchronized boolean recovered() {
    return recovered;
  }

  @Override
  public Admission admit(List<DisruptedVf> vfs) {
    try {
      synchronized (this) {
        if (!recovered) {
          recover();
        }
      }
      return admitOrDefer(vfs);
    } catch (KubernetesClientException e) {
      metrics.state(DrainMetrics.State.IDLE);
      return new Admission.Deferred("API server: " + e.getMessage());
    } catch (IllegalStateException e) {
      metrics.state(DrainMetrics.State.IDLE);
      return new Admission.Deferred(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      metrics.state(DrainMetrics.State.IDLE);
      return new Admission.Deferred("interrupted while draining");
    }
  }

  private Admission admitOrDefer(List<DisruptedVf> vfs) throws InterruptedException {
    Map<PodRef, List<String>> held = holders.of(vfs);
    if (held.isEmpty()) {
      log.info("no drain needed: no running pod holds a disrupted VF vfs={}", vfs.size());
      return new Admission.Proceed(() -> {});
    }
    // read only when a drain is due: most changes that disrupt VFs find them unused
    if (disableDrain()) {
      log.warn(
          "drain disabled by SriovOperatorConfig default: applying with VFs in use pods={}",
          held.keySet());
      return new Admission.Proceed(() -> {});
    }
    DrainPool pool = pools.poolOf(settings.node());
    OptionalInt slots = pool.slots();
    Optional<SlotLeases.Slot> slot = Optional.empty();
    if (slots.isPresent()) {
      if (slots.getAsInt() == 0) {
        metrics.state(DrainMetrics.State.WAITING);
        return new Admission.Deferred(pool.describe() + ": no node of the pool may drain");
      }
      slot = leases.tryAcquire(pool.name(), slots.getAsInt());
      List<String> drainingNow = List.of();
      for (int tries = 1; slot.isEmpty(); tries++) {
        drainingNow = leases.holders(pool.name(), slots.getAsInt());
        if (!drainingNow.isEmpty() || tries == 3) {
          break;
        }
        // no live holder at the second read: a slot came free between the two (released, or its
        // holder's lease expired), so it is taken now rather than deferring with nobody to name
        slot = leases.tryAcquire(pool.name(), slots.getAsInt());
      }
      if (slot.isEmpty()) {
        metrics.state(DrainMetrics.State.WAITING);
        return new Admission.Deferred(
            pool.describe()
                + ": waiting, draining now: "
                + (drainingNow.isEmpty()
                    ? "none at the last read (the slots are changing hands)"
                    : String.join(", ", drainingNow)));
      }
    }
    return drain(held, vfs, pool, slot);
  }

  private Admission drain(
      Map<PodRef, List<String>> held,
      List<DisruptedVf> vfs,
      DrainPool pool,
      Optional<SlotLeases.Slot> slot)
      throws InterruptedException {
    AtomicBoolean lost = new AtomicBoolean();
    Optional<ScheduledFuture<?>> renewal = slot.map(s -> scheduleRenewal(s, lost));
    Runnable undo =
        () -> {
          renewal.ifPresent(f -> f.cancel(false));
          metrics.state(DrainMetrics.State.IDLE);
          undoUntilDone(slot);
        };
    Instant start = clock.instant();
    metrics.state(DrainMetrics.State.DRAINING);
    PodEvictor.Result result;
    try {
      log.info("drain started node={} {} pods={}", settings.node(), pool.describe(), held.keySet());
      cordon.cordon();
      // Pods admitted between the first look and the cordon hold VFs too.
      Map<PodRef, List<String>> now = holders.of(vfs);
      now.putAll(held);
      result = evictor.evict(now.keySet(), start.plus(settings.drainTimeout()));
    } catch (RuntimeException | InterruptedException e) {
      metrics.drained("failed", Duration.between(start, clock.instant()));
      undo.run();
      throw e;
    }
    Duration took = Duration.between(start, clock.instant());
    if (!result.completed()) {
      metrics.drained("timed_out", took);
      undo.run();
      return new Admission.Deferred(
          "drain of node "
              + settings.node()
              + " timed out after "
              + settings.drainTimeout().toSeconds()
              + " s: "
              + result.pending().entrySet().stream()
                  .map(e -> "pod " + e.getKey() + ": " + e.getValue())
                  .collect(Collectors.joining("; ")));
    }
    if (lost.get()) {
      metrics.drained("slot_lost", took);
      undo.run();
      return new Admission.Deferred(
          "drain slot "
              + slot.get().leaseName()
              + " lost (not renewed within "
              + settings.leaseDuration().toSeconds()
              + " s): not applying");
    }
    metrics.drained("drained", took);
    metrics.state(DrainMetrics.State.APPLYING);
    log.info(
        "drain complete node={} evicted={} skipped={} tookMs={}",
        settings.node(),
        result.evicted(),
        result.skipped().keySet(),
        took.toMillis());
    return new Admission.Proceed(undo);
  }

  /**
   * Uncordons and frees the slot; when the API server is away, retries on the renewer every lease
   * duration until it is back (the slot expires meanwhile; the node stays cordoned until then).
   */
  private void undoUntilDone(Optional<SlotLeases.Slot> slot) {
    try {
      cordon.uncordon();
      slot.ifPresent(leases::release);
    } catch (KubernetesClientException e) {
      log.warn(
          "uncordon failed, retrying node={} inMs={} error={}",
          settings.node(),
          settings.leaseDuration().toMillis(),
          e.getMessage());
      renewer.schedule(
          () -> undoUntilDone(slot), settings.leaseDuration().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private ScheduledFuture<?> scheduleRenewal(SlotLeases.Slot slot, AtomicBoolean lost) {
    long period = Math.max(1, settings.leaseDuration().toMillis() / 3);
    return renewer.scheduleAtFixedRate(
        () -> {
          try {
            if (!leases.renew(slot)) {
              lost.set(true);
              log.error("drain slot lost lease={} node={}", slot.leaseName(), settings.node());
            }
          } catch (KubernetesClientException e) {
            log.warn(
                "drain slot renewal failed lease={} error={}", slot.leaseName(), e.getMessage());
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  private boolean disableDrain() {
    SriovOperatorConfig config =
        client
            .resources(SriovOperatorConfig.class)
            .inNamespace(settings.namespace())
            .withName(SriovOperatorConfig.DEFAULT_NAME)
            .get();
    return config != null && config.getSpec() != null && config.getSpec().disableDrain();
  }
}
