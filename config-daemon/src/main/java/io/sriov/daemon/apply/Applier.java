package io.sriov.daemon.apply;

import io.sriov.core.value.PciAddress;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.ownership.MalformedRecordException;
import io.sriov.daemon.ownership.OwnedPf;
import io.sriov.daemon.ownership.OwnershipStore;
import io.sriov.daemon.plan.NodePlan;
import io.sriov.daemon.plan.PfPlan;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.os.Errno;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a {@link NodePlan}: each PF as one transaction ({@link PfTransaction}: original state
 * saved, steps in order, completed steps undone in reverse on failure), PFs in parallel on at most
 * {@code parallelism} platform threads. One PF's failure does not stop the others.
 *
 * <p>Ownership: before any change the configured PFs (not externally managed) not recorded yet are
 * recorded in the {@link OwnershipStore} with their original MTU and eswitch mode, in one durable
 * write, so a crash mid-apply still leaves them known as ours; a PF whose apply is rolled back is
 * forgotten again if this apply recorded it; a reset PF is forgotten once reset.
 */
public final class Applier {
  private static final Logger log = LoggerFactory.getLogger(Applier.class);

  private final SriovProvisioner provisioner;
  private final RtnlOperations rtnl;
  private final DevlinkOperations devlink;
  private final NodeObserver observer;
  private final OwnershipStore ownership;
  private final int parallelism;

  public Applier(
      SriovProvisioner provisioner,
      RtnlOperations rtnl,
      DevlinkOperations devlink,
      NodeObserver observer,
      OwnershipStore ownership,
      int parallelism) {
    this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
    this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    this.devlink = Objects.requireNonNull(devlink, "devlink");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
    }
    this.parallelism = parallelism;
  }

  /** Applies {@code plan}; returns when every PF has finished (applied, rolled back or refused). */
  public ApplyReport apply(NodePlan plan) {
    Map<PciAddress, OwnedPf> owned;
    try {
      owned = new HashMap<>(ownership.owned());
    } catch (IOException e) {
      // Without the record no PF can be claimed safely: refuse the whole apply, touch nothing.
      List<PfResult> refused = new ArrayList<>();
      for (PfPlan p : plan.pfs()) {
        refused.add(
            PfTransaction.refused(
                p, "reading the ownership record failed: " + e.getMessage(), errnoOf(e)));
      }
      return new ApplyReport(refused);
    }
    if (plan.pfs().isEmpty()) {
      return new ApplyReport(List.of());
    }
    // Every PF this apply configures for the first time is recorded before any change, all in one
    // durable write (not one per PF); a PF that cannot be recorded is not touched.
    List<PfPlan> claiming =
        plan.pfs().stream()
            .filter(p -> PfTransaction.claims(p) && !owned.containsKey(p.observed().address()))
            .toList();
    IOException unrecorded = null;
    try {
      ownership.putAll(
          claiming.stream()
              .map(
                  p ->
                      new OwnedPf(
                          p.observed().address(),
                          p.observed().mtu().orElse(0),
                          p.observed().eswitchMode()))
              .toList());
    } catch (IOException e) {
      unrecorded = e;
    }
    AtomicInteger threadNumber = new AtomicInteger();
    int threads = Math.min(parallelism, plan.pfs().size());
    List<Future<PfResult>> futures = new ArrayList<>();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sriov-apply-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            })) {
      for (PfPlan p : plan.pfs()) {
        // by identity: a PfPlan's equals compares its whole observation, VF by VF
        boolean claimedNow = claiming.stream().anyMatch(c -> c == p);
        if (claimedNow && unrecorded != null) {
          futures.add(
              CompletableFuture.completedFuture(
                  PfTransaction.refused(
                      p,
                      "recording the PF as configured by this daemon failed: "
                          + unrecorded.getMessage(),
                      errnoOf(unrecorded))));
          continue;
        }
        boolean ours = owned.containsKey(p.observed().address());
        futures.add(
            pool.submit(
                () ->
                    new PfTransaction(
                            p, ours, claimedNow, provisioner, rtnl, devlink, observer, ownership)
                        .run()));
      }
    }
    List<PfResult> results = new ArrayList<>();
    for (Future<PfResult> f : futures) {
      try {
        results.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the apply", e);
      } catch (ExecutionException e) {
        // PfTransaction catches everything it expects; anything else is a bug, not a node state.
        throw new IllegalStateException("apply of a PF failed unexpectedly", e.getCause());
      }
    }
    ApplyReport report = new ApplyReport(results);
    log.info(
        "apply finished pfs={} failed={}",
        results.size(),
        results.stream().filter(r -> !r.succeeded()).count());
    return report;
  }

  /** The errno an I/O failure carries; empty for a record that is there but malformed. */
  static Optional<String> errnoOf(IOException e) {
    return e instanceof MalformedRecordException
        ? Optional.empty()
        : Optional.of(Errno.of(e).name());
  }
}
