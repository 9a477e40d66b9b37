package io.sriov.daemon.bench;

import io.sriov.daemon.engine.NodeEngine;
import io.sriov.netlink.route.RtnlOperations;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What separates the engine's process CPU from the bare node writes' ({@link ApplyOverhead}'s
 * comparison), shot by shot: the engine's apply ({@link ApplyBenchmark#apply}, one PF at a time)
 * and the bare node replay, alternating which goes first, each on a fresh node, and for each shot
 * the process CPU, the CPU inside the node changes (each sysfs write and rtnetlink change timed, in
 * both), the heap allocated, the collections and their time, the JIT's compile time, and the
 * calling thread's CPU. A diagnosis, not the comparison (the timing adds two clock reads per node
 * change to both sides). Usage: {@code ApplyGap [rounds=10] [warmup=3]}.
 */
public final class ApplyGap {
  private ApplyGap() {}

  private static final String[] FIGURES = {
    "process cpu",
    "node changes",
    "all but the changes",
    "allocated MB",
    "gc count",
    "gc ms",
    "jit ms",
    "calling thread cpu"
  };

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ProcessCpuClock clock = ProcessCpuClock.create();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    ApplyBenchmark b = new ApplyBenchmark();
    b.recordWrites();
    // [side: 0 engine, 1 bare node][figure] -> values over the measured rounds
    List<List<List<Double>>> values = new ArrayList<>();
    for (int side = 0; side < 2; side++) {
      List<List<Double>> f = new ArrayList<>();
      for (int k = 0; k < FIGURES.length; k++) {
        f.add(new ArrayList<>());
      }
      values.add(f);
    }
    for (int i = 0; i < warmup + rounds; i++) {
      for (int k = 0; k < 2; k++) {
        int side = (i + k) % 2;
        b.freshNode();
        long[] changes = new long[1];
        Runnable body = side == 0 ? engine(b, clock, changes) : bare(b, clock, changes);
        System.gc();
        long gcCount0 = 0;
        long gcTime0 = 0;
        for (GarbageCollectorMXBean g : gcs) {
          gcCount0 += g.getCollectionCount();
          gcTime0 += g.getCollectionTime();
        }
        long jit0 = jit.getTotalCompilationTime();
        long alloc0 = threads.getTotalThreadAllocatedBytes();
        long thread0 = threads.getCurrentThreadCpuTime();
        long cpu0 = clock.nanos();
        body.run();
        long cpu = clock.nanos() - cpu0;
        long thread = threads.getCurrentThreadCpuTime() - thread0;
        long alloc = threads.getTotalThreadAllocatedBytes() - alloc0;
        long gcCount = -gcCount0;
        long gcTime = -gcTime0;
        for (GarbageCollectorMXBean g : gcs) {
          gcCount += g.getCollectionCount();
          gcTime += g.getCollectionTime();
        }
        double[] f = {
          cpu / 1e6,
          changes[0] / 1e6,
          (cpu - changes[0]) / 1e6,
          alloc / 1e6,
          gcCount,
          gcTime,
          jit.getTotalCompilationTime() - jit0,
          thread / 1e6
        };
        StringBuilder line =
            new StringBuilder(
                (i < warmup ? "warmup " : "round ") + i + (side == 0 ? " engine:" : " bare node:"));
        for (int n = 0; n < FIGURES.length; n++) {
          line.append(String.format(Locale.ROOT, " | %s %.1f", FIGURES[n], f[n]));
          if (i >= warmup) {
            values.get(side).get(n).add(f[n]);
          }
        }
        System.out.println(line);
      }
    }
    b.closeNode();
    for (int side = 0; side < 2; side++) {
      StringBuilder s =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s, medians over %d rounds (range):",
                  side == 0 ? "engine" : "bare node",
                  rounds));
      for (int n = 0; n < FIGURES.length; n++) {
        s.append(" | ")
            .append(FIGURES[n])
            .append(' ')
            .append(EngineOwnCost.medianRange(values.get(side).get(n)).replace(" ms", ""));
      }
      System.out.println(s);
    }
  }

  /** The engine as {@link ApplyBenchmark#engine}, its sysfs writes and rtnetlink changes timed. */
  private static Runnable engine(ApplyBenchmark b, ProcessCpuClock clock, long[] changes)
      throws java.io.IOException {
    long[] rtnlSpent = new long[2];
    RtnlOperations timedRtnl =
        EngineOwnCost.timed(
            RtnlOperations.class,
            b.node.rtnl().orElseThrow(),
            clock,
            rtnlSpent,
            new int[1],
            m -> ApplyBenchmark.RTNL_CHANGES.contains(m.getName()) ? 0 : 1);
    NodeEngine engine =
        b.engine(EngineOwnCost.timedWriter(b.node.sysfsWriter(), clock, changes), timedRtnl, 1);
    return () -> {
      if (!engine.reconcile(b.desired).succeeded()) {
        throw new IllegalStateException("the benchmark's apply failed");
      }
      changes[0] += rtnlSpent[0];
    };
  }

  /** The bare node replay ({@link ApplyBenchmark#bareNodeWrites}), each change timed. */
  private static Runnable bare(ApplyBenchmark b, ProcessCpuClock clock, long[] changes) {
    return () -> {
      try {
        for (ApplyBenchmark.NodeWrite w : b.nodeWrites) {
          long t0 = clock.nanos();
          w.replay(b.node);
          changes[0] += clock.nanos() - t0;
        }
      } catch (Exception e) {
        throw new IllegalStateException("the bare replay failed", e);
      }
    };
  }
}
