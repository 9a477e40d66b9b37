package io.sriov.cluster.lease;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counting semaphores made of {@code coordination.k8s.io/v1} Leases: a group of {@code n} slots is
 * {@code n} Lease objects, and holding one means being its {@code holderIdentity} with a {@code
 * renewTime} younger than {@code leaseDurationSeconds}. Every change is a create (409 when another
 * holder created it first) or an update carrying the {@code resourceVersion} read (409 when another
 * holder changed it meanwhile), so two holders never both win a slot. A holder that dies stops
 * renewing and its slot is free once it expires.
 *
 * <p>Names: {@code <prefix>.<slot>} for the unnamed group, {@code <prefix>.<group>.<slot>} for a
 * named one (a slot is digits, so the two never collide); every Lease carries the label {@value
 * #GROUP_LABEL} with the group name. Expiry is judged with this process's clock against the
 * holder's {@code renewTime}: clocks must agree within a small fraction of the lease duration (as
 * NTP-synchronised nodes do).
 */
public final class SlotLeases {
  private static final Logger log = LoggerFactory.getLogger(SlotLeases.class);

  /** The label naming a Lease's slot group. */
  public static final String GROUP_LABEL = "sriovnetwork.openshift.io/drain-pool";

  private final KubernetesClient client;
  private final String namespace;
  private final String prefix;
  private final String holder;
  private final Duration duration;
  private final Clock clock;

  /**
   * @param namespace where the Leases live (the daemon's namespace)
   * @param prefix the first part of every Lease name, e.g. {@code sriov-drain}
   * @param holder this process's identity, the node name
   * @param duration how long a slot stays held without renewal (whole seconds)
   */
  public SlotLeases(
      KubernetesClient client,
      String namespace,
      String prefix,
      String holder,
      Duration duration,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.duration = Objects.requireNonNull(duration, "duration");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (duration.toSeconds() < 1) {
      throw new IllegalArgumentException("lease duration below 1 s: " + duration);
    }
  }

  /** A slot this process holds. */
  public record Slot(String group, int index, String leaseName) {}

  public String holder() {
    return holder;
  }

  public Duration duration() {
    return duration;
  }

  /** The Lease name of slot {@code index} of {@code group}. */
  public String leaseName(String group, int index) {
    return group.isEmpty() ? prefix + "." + index : prefix + "." + group + "." + index;
  }

  /**
   * Takes one slot of {@code slots}: the one this holder already has (a restarted process re-takes
   * its own), else the first free (absent, released or expired) one counting from an offset given
   * by the holder's name, so that nodes waiting together spread over the slots. One try per call: a
   * lost race (409) returns empty and the caller asks again later, so a call costs one list and at
   * most one write whatever the number of slots (trying every slot after a lost race made a waiting
   * node's attempt O(slots), so O(N) for a percentage, when a wave of slots came free).
   *
   * @return empty when all {@code slots} are held by others, or another holder won the race
   * @throws KubernetesClientException when the API server fails otherwise than with a conflict
   */
  public Optional<Slot> tryAcquire(String group, int slots) {
    Map<String, Lease> listed = listed(group);
    ZonedDateTime now = now();
    int offset = Math.floorMod(holder.hashCode(), slots);
    int pick = -1;
    for (int k = 0; k < slots; k++) {
      int i = (offset + k) % slots;
      Lease lease = listed.get(leaseName(group, i));
      if (lease != null && holder.equals(lease.getSpec().getHolderIdentity())) {
        pick = i;
        break;
      }
      if (pick < 0 && (lease == null || isFree(lease, now))) {
        pick = i;
      }
    }
    if (pick < 0) {
      return Optional.empty();
    }
    String name = leaseName(group, pick);
    Lease lease = listed.get(name);
    try {
      if (lease == null) {
        leases().resource(newLease(group, name, now)).create();
      } else {
        boolean transition = !holder.equals(lease.getSpec().getHolderIdentity());
        Lease taken =
            new LeaseBuilder(lease)
                .editSpec()
                .withHolderIdentity(holder)
                .withAcquireTime(now)
                .withRenewTime(now)
                .withLeaseDurationSeconds((int) duration.toSeconds())
                .withLeaseTransitions(transitions(lease) + (transition && wasHeld(lease) ? 1 : 0))
                .endSpec()
                .build();
        leases().resource(taken).update();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        log.debug("slot taken meanwhile lease={} holder={}", name, holder);
        return Optional.empty();
      }
      throw e;
    }
    log.info("slot acquired lease={} holder={}", name, holder);
    return Optional.of(new Slot(group, pick, name));
  }

  /** Who holds the live slots of {@code group} now (for messages). */
  public List<String> holders(String group, int slots) {
    Map<String, Lease> listed = listed(group);
    ZonedDateTime now = now();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      Lease lease = listed.get(leaseName(group, i));
      if (lease != null && !isFree(lease, now)) {
        out.add(lease.getSpec().getHolderIdentity());
      }
    }
    return out;
  }

  /**
   * Pushes the slot's {@code renewTime} to now.
   *
   * @return false when the slot is no longer this holder's (it expired and another took it, or it
   *     is gone)
   */
  public boolean renew(Slot slot) {
    Lease lease = leases().withName(slot.leaseName()).get();
    if (lease == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
      return false;
    }
    try {
      leases()
          .resource(new LeaseBuilder(lease).editSpec().withRenewTime(now()).endSpec().build())
          .update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return renewAfterConflict(slot);
      }
      throw e;
    }
  }

  private boolean renewAfterConflict(Slot slot) {
    Lease lease = leases().withName(slot.leaseName()).get();
    return lease != null && holder.equals(lease.getSpec().getHolderIdentity()) && renew(slot);
  }

  /** Frees the slot if this holder still has it (clears {@code holderIdentity}). */
  public void release(Slot slot) {
    Lease lease = leases().withName(slot.leaseName()).get();
    if (lease == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
      log.warn("slot already lost lease={} holder={}", slot.leaseName(), holder);
      return;
    }
    try {
      leases()
          .resource(new LeaseBuilder(lease).editSpec().withHolderIdentity(null).endSpec().build())
          .update();
      log.info("slot released lease={} holder={}", slot.leaseName(), holder);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      release(slot);
    }
  }

  /** Frees every slot of any group this holder has (a restarted process cleaning up). */
  public int releaseAll() {
    int n = 0;
    for (Lease lease : leases().withLabel(GROUP_LABEL).list().getItems()) {
      if (holder.equals(lease.getSpec().getHolderIdentity())) {
        String group = lease.getMetadata().getLabels().get(GROUP_LABEL);
        release(new Slot(group, -1, lease.getMetadata().getName()));
        n++;
      }
    }
    return n;
  }

  /**
   * The group's Leases by name, in one request whatever the number of slots (a GET per slot made
   * each waiting node's attempt cost O(maxUnavailable), so O(N) for a percentage).
   */
  private Map<String, Lease> listed(String group) {
    Map<String, Lease> out = new HashMap<>();
    for (Lease lease : leases().withLabel(GROUP_LABEL, group).list().getItems()) {
      out.put(lease.getMetadata().getName(), lease);
    }
    return out;
  }

  private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
    return client.leases().inNamespace(namespace);
  }

  private Lease newLease(String group, String name, ZonedDateTime now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels(GROUP_LABEL, group)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withAcquireTime(now)
        .withRenewTime(now)
        .withLeaseDurationSeconds((int) duration.toSeconds())
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  private static boolean wasHeld(Lease lease) {
    String h = lease.getSpec().getHolderIdentity();
    return h != null && !h.isEmpty();
  }

  private static int transitions(Lease lease) {
    Integer t = lease.getSpec().getLeaseTransitions();
    return t == null ? 0 : t;
  }

  private static boolean isFree(Lease lease, ZonedDateTime now) {
    if (!wasHeld(lease)) {
      return true;
    }
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    if (renewed == null || seconds == null) {
      return true;
    }
    return renewed.plusSeconds(seconds).isBefore(now);
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(clock)
        .withZoneSameInstant(ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.MICROS);
  }
}
