package io.sriov.daemon.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.daemon.apply.Applier;
import io.sriov.daemon.desired.NodeStateValidator;
import io.sriov.daemon.engine.NodeEngine;
import io.sriov.daemon.observe.NodeObserver;
import io.sriov.daemon.ownership.FileOwnershipStore;
import io.sriov.daemon.ownership.OwnershipStore;
import io.sriov.daemon.plan.Planner;
import io.sriov.daemon.status.StatusReporter;
import io.sriov.daemon.testing.InMemoryDevlink;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.sysfs.SysfsWriter;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Where the engine's own CPU goes in {@link ApplyBenchmark#apply} (one PF at a time): the process
 * CPU of each apply split into the node changes themselves (each sysfs write and rtnetlink change),
 * the discovery walks (the observation before the plan and the transactions' re-reads of a PF), the
 * other rtnetlink and devlink reads, the ownership record, and the rest (the provisioner's checks
 * and waits, validation, plan, transaction, status, logging, GC, JIT). Each part is the process CPU
 * between entering and leaving its interface ({@link ProcessCpuClock}: nanoseconds, every thread;
 * the engine does one of these at a time). The engine is wired as {@link ApplyBenchmark#engine},
 * with the timing proxies between its parts. A diagnosis, not the comparison with the peer ({@link
 * ApplyOverhead} is): the proxies add two clock reads per call. Usage: {@code EngineOwnCost
 * [rounds=10] [warmup=3]}.
 */
public final class EngineOwnCost {
  private EngineOwnCost() {}

  private static final String[] PARTS = {
    "node changes", "discovery", "rtnetlink/devlink reads", "ownership record"
  };

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ProcessCpuClock clock = ProcessCpuClock.create();
    ApplyBenchmark b = new ApplyBenchmark();
    b.desired = ApplyBenchmark.desired();
    List<List<Double>> parts = new ArrayList<>();
    for (int p = 0; p <= PARTS.length; p++) {
      parts.add(new ArrayList<>());
    }
    List<Double> totals = new ArrayList<>();
    for (int i = 0; i < warmup + rounds; i++) {
      b.freshNode();
      long[] spent = new long[PARTS.length];
      int[] depth = new int[1];
      SysfsWriter kernel = b.node.sysfsWriter();
      SysfsWriter timedWriter = timedWriter(kernel, clock, spent);
      RtnlOperations rtnl = b.node.rtnl().orElseThrow();
      RtnlOperations timedRtnl =
          timed(
              RtnlOperations.class,
              rtnl,
              clock,
              spent,
              depth,
              m -> ApplyBenchmark.RTNL_CHANGES.contains(m.getName()) ? 0 : 2);
      DevlinkOperations devlink =
          timed(DevlinkOperations.class, new InMemoryDevlink(), clock, spent, depth, m -> 2);
      DeviceDiscovery discovery =
          timed(DeviceDiscovery.class, b.node.discovery(), clock, spent, depth, m -> 1);
      OwnershipStore ownership =
          timed(
              OwnershipStore.class,
              FileOwnershipStore.open(b.dir.resolve("state-timed/owned-pfs.json")),
              clock,
              spent,
              depth,
              m -> 3);
      SriovProvisioner provisioner =
          new SriovProvisioner(
              b.node.root(),
              timedWriter,
              new ProvisionTimeouts(
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(10),
                  Duration.ofMillis(1)));
      NodeObserver observer = new NodeObserver(discovery, timedRtnl, devlink);
      NodeEngine engine =
          new NodeEngine(
              observer,
              new NodeStateValidator(),
              new Planner(),
              new Applier(provisioner, timedRtnl, devlink, observer, ownership, 1),
              ownership,
              new StatusReporter(),
              new SimpleMeterRegistry());
      System.gc();
      long cpu0 = clock.nanos();
      if (!engine.reconcile(b.desired).succeeded()) {
        throw new IllegalStateException("the benchmark's apply failed");
      }
      long cpu = clock.nanos() - cpu0;
      long rest = cpu;
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s %d: process cpu %.1f ms",
                  i < warmup ? "warmup" : "round",
                  i,
                  cpu / 1e6));
      for (int p = 0; p < PARTS.length; p++) {
        rest -= spent[p];
        line.append(String.format(Locale.ROOT, " | %s %.1f ms", PARTS[p], spent[p] / 1e6));
      }
      line.append(
          String.format(
              Locale.ROOT,
              " | the rest %.1f ms | engine's own (all but the changes) %.1f ms",
              rest / 1e6,
              (cpu - spent[0]) / 1e6));
      System.out.println(line);
      if (i >= warmup) {
        for (int p = 0; p < PARTS.length; p++) {
          parts.get(p).add(spent[p] / 1e6);
        }
        parts.get(PARTS.length).add(rest / 1e6);
        totals.add((cpu - spent[0]) / 1e6);
      }
    }
    b.closeNode();
    StringBuilder summary =
        new StringBuilder(String.format(Locale.ROOT, "medians over %d rounds (range):", rounds));
    for (int p = 0; p <= PARTS.length; p++) {
      summary.append(
          String.format(
              Locale.ROOT,
              " | %s %s",
              p < PARTS.length ? PARTS[p] : "the rest",
              medianRange(parts.get(p))));
    }
    summary.append(String.format(Locale.ROOT, " | engine's own %s", medianRange(totals)));
    System.out.println(summary);
  }

  /** {@code kernel} with the process CPU of each write added to {@code spent[0]}. */
  static SysfsWriter timedWriter(SysfsWriter kernel, ProcessCpuClock clock, long[] spent) {
    return (file, value, timeout) -> {
      long t0 = clock.nanos();
      try {
        kernel.write(file, value, timeout);
      } finally {
        spent[0] += clock.nanos() - t0;
      }
    };
  }

  static String medianRange(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    double median = s.get(s.size() / 2);
    if (s.size() % 2 == 0) {
      median = (s.get(s.size() / 2 - 1) + median) / 2;
    }
    return String.format(
        Locale.ROOT, "%.1f ms (%.1f..%.1f)", median, s.get(0), s.get(s.size() - 1));
  }

  /**
   * {@code target} behind a proxy adding the process CPU of each call to {@code spent[part(m)]}; a
   * call made inside another timed call counts for the outer one only.
   */
  @SuppressWarnings("unchecked")
  static <T> T timed(
      Class<T> type,
      T target,
      ProcessCpuClock clock,
      long[] spent,
      int[] depth,
      java.util.function.ToIntFunction<Method> part) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, a) -> {
              boolean outer = depth[0]++ == 0;
              long t0 = outer ? clock.nanos() : 0;
              try {
                return method.invoke(target, a);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                depth[0]--;
                if (outer) {
                  spent[part.applyAsInt(method)] += clock.nanos() - t0;
                }
              }
            });
  }
}
