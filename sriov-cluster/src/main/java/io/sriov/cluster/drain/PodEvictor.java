package io.sriov.cluster.drain;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts pods through the Eviction API ({@code POST pods/<name>/eviction}, what {@code kubectl
 * drain} does), so PodDisruptionBudgets hold: a refusal (429) is retried with backoff until the
 * deadline; then waits until each evicted pod is gone (or replaced: another UID under the same
 * name). Pods owned by a DaemonSet and mirror (static) pods are skipped, as {@code kubectl drain
 * --ignore-daemonsets} does: evicting them frees nothing.
 */
public final class PodEvictor {
  private static final Logger log = LoggerFactory.getLogger(PodEvictor.class);
  private static final String MIRROR = "kubernetes.io/config.mirror";

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration poll;
  private final DrainMetrics metrics;

  /**
   * @param poll the first retry delay after a refusal (doubled up to 8x) and the interval at which
   *     pod deletion is checked
   */
  public PodEvictor(KubernetesClient client, Clock clock, Duration poll, DrainMetrics metrics) {
    // fabric8 retries a 429 itself with backoff (10 times by default), which would hide the
    // refusal and blow the drain's time bound: this client gives each eviction one request.
    this.client =
        Objects.requireNonNull(client, "client")
            .newClient(
                new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .adapt(KubernetesClient.class);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.poll = Objects.requireNonNull(poll, "poll");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * What an eviction run ended with.
   *
   * @param evicted the pods evicted and gone
   * @param skipped the pods left running and why (DaemonSet, mirror pod)
   * @param pending the pods still there at the deadline and why (the last refusal, or still
   *     terminating); empty when the run completed
   */
  public record Result(
      List<PodRef> evicted, Map<PodRef, String> skipped, Map<PodRef, String> pending) {
    public boolean completed() {
      return pending.isEmpty();
    }
  }

  /** Evicts {@code pods} and waits for them to go, until {@code deadline}. */
  public Result evict(Collection<PodRef> pods, Instant deadline) throws InterruptedException {
    Map<PodRef, String> uids = new TreeMap<>();
    Map<PodRef, String> skipped = new LinkedHashMap<>();
    Map<PodRef, String> refused = new TreeMap<>();
    List<PodRef> todo = new ArrayList<>(new TreeSet<>(pods));
    Duration backoff = poll;
    while (true) {
      List<PodRef> again = new ArrayList<>();
      for (PodRef p : todo) {
        Pod pod = client.pods().inNamespace(p.namespace()).withName(p.name()).get();
        if (pod == null) {
          uids.put(p, "");
          continue;
        }
        String skip = skipReason(pod);
        if (skip != null) {
          skipped.put(p, skip);
          log.info("eviction skipped pod={} reason={}", p, skip);
          continue;
        }
        String refusal = evictOnce(p);
        if (refusal == null) {
          uids.put(p, pod.getMetadata().getUid());
          refused.remove(p);
          metrics.eviction("evicted");
          log.info("pod evicted pod={}", p);
        } else {
          refused.put(p, refusal);
          again.add(p);
          metrics.eviction("refused");
          log.info("eviction refused pod={} reason={}", p, refusal);
        }
      }
      todo = again;
      if (todo.isEmpty()) {
        break;
      }
      if (!sleepUntil(clock.instant().plus(backoff), deadline)) {
        return new Result(List.copyOf(uids.keySet()), skipped, refused);
      }
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(poll.multipliedBy(8)) > 0 ? poll.multipliedBy(8) : doubled;
    }
    return waitGone(uids, skipped, deadline);
  }

  /** One eviction request; null when accepted (or the pod is gone), else why it was refused. */
  private String evictOnce(PodRef p) {
    try {
      boolean accepted = client.pods().inNamespace(p.namespace()).withName(p.name()).evict();
      return accepted
          ? null
          : "eviction refused (429 Too Many Requests): it would violate a PodDisruptionBudget";
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      return "eviction failed ("
          + e.getCode()
          + "): "
          + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage());
    }
  }

  private Result waitGone(Map<PodRef, String> uids, Map<PodRef, String> skipped, Instant deadline)
      throws InterruptedException {
    while (true) {
      Map<PodRef, String> left = new TreeMap<>();
      for (Map.Entry<PodRef, String> e : uids.entrySet()) {
        PodRef p = e.getKey();
        Pod pod = client.pods().inNamespace(p.namespace()).withName(p.name()).get();
        if (pod != null && pod.getMetadata().getUid().equals(e.getValue())) {
          left.put(p, "still terminating");
        }
      }
      if (left.isEmpty()) {
        return new Result(List.copyOf(uids.keySet()), skipped, Map.of());
      }
      if (!sleepUntil(clock.instant().plus(poll), deadline)) {
        List<PodRef> gone = new ArrayList<>(uids.keySet());
        gone.removeAll(left.keySet());
        return new Result(gone, skipped, left);
      }
    }
  }

  /** Sleeps until {@code until}; false (without sleeping) when that is past the deadline. */
  private boolean sleepUntil(Instant until, Instant deadline) throws InterruptedException {
    if (until.isAfter(deadline)) {
      return false;
    }
    Duration d = Duration.between(clock.instant(), until);
    if (!d.isNegative()) {
      Thread.sleep(d);
    }
    return true;
  }

  private static String skipReason(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(MIRROR)) {
      return "mirror pod (static, managed by kubelet)";
    }
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null) {
      for (OwnerReference o : owners) {
        if (Boolean.TRUE.equals(o.getController()) && "DaemonSet".equals(o.getKind())) {
          return "owned by DaemonSet " + o.getName();
        }
      }
    }
    return null;
  }
}
