package io.sriov.daemon.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@link ApplyBenchmark}'s engine and bare-writes measurements as pairs, for a shared, loaded
 * machine where JMH's one-benchmark-after-the-other runs see different loads (single shots of the
 * same apply ranged 20-124 s at load 20-35): each pair measures {@link ApplyBenchmark#apply} (one
 * PF at a time) and {@link ApplyBenchmark#bareSysfsWrites} back to back on fresh nodes, alternating
 * which goes first, and records both the wall time and the process's CPU time (all threads: the
 * apply thread, the simulated kernel, GC, JIT), which the other processes on the machine disturb
 * much less. Reported: the engine's overhead over the bare writes per pair (median and range), and
 * over the sums of all measured pairs (with an even number of pairs each order counts equally).
 * Usage: {@code ApplyOverhead [pairs=4] [warmup pairs=1]}.
 */
public final class ApplyOverhead {
  private ApplyOverhead() {}

  record Shot(long wallNanos, long cpuNanos) {}

  interface Body {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    ApplyBenchmark b = new ApplyBenchmark();
    b.recordWrites();
    System.out.printf(
        "recorded %d sysfs writes for %d PFs x %d VFs%n",
        b.writes.size(), ApplyBenchmark.PFS, ApplyBenchmark.VFS);
    List<Double> wallOverhead = new ArrayList<>();
    List<Double> cpuOverhead = new ArrayList<>();
    long[] sums = new long[4]; // engine wall, engine cpu, bare wall, bare cpu
    for (int i = 0; i < warmup + pairs; i++) {
      Shot engine;
      Shot bare;
      if (i % 2 == 0) {
        engine = shot(b, b::apply);
        bare = shot(b, b::bareSysfsWrites);
      } else {
        bare = shot(b, b::bareSysfsWrites);
        engine = shot(b, b::apply);
      }
      boolean measured = i >= warmup;
      double wall = 100.0 * (engine.wallNanos() - bare.wallNanos()) / bare.wallNanos();
      double cpu = 100.0 * (engine.cpuNanos() - bare.cpuNanos()) / bare.cpuNanos();
      System.out.printf(
          Locale.ROOT,
          "%s %d: engine wall %.2f s cpu %.2f s | bare wall %.2f s cpu %.2f s | overhead wall"
              + " %+.1f %% cpu %+.1f %% | load %.1f%n",
          measured ? "pair" : "warmup",
          i,
          engine.wallNanos() / 1e9,
          engine.cpuNanos() / 1e9,
          bare.wallNanos() / 1e9,
          bare.cpuNanos() / 1e9,
          wall,
          cpu,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (measured) {
        wallOverhead.add(wall);
        cpuOverhead.add(cpu);
        sums[0] += engine.wallNanos();
        sums[1] += engine.cpuNanos();
        sums[2] += bare.wallNanos();
        sums[3] += bare.cpuNanos();
      }
    }
    b.closeNode();
    System.out.printf(
        Locale.ROOT,
        "median overhead over %d pairs: wall %+.1f %% (range %+.1f..%+.1f), cpu %+.1f %% (range"
            + " %+.1f..%+.1f)%n",
        pairs,
        median(wallOverhead),
        Collections.min(wallOverhead),
        Collections.max(wallOverhead),
        median(cpuOverhead),
        Collections.min(cpuOverhead),
        Collections.max(cpuOverhead));
    System.out.printf(
        Locale.ROOT,
        "overhead over the sums of %d pairs: wall %+.1f %% (engine %.2f s, bare %.2f s), cpu %+.1f"
            + " %% (engine %.2f s, bare %.2f s)%n",
        pairs,
        100.0 * (sums[0] - sums[2]) / sums[2],
        sums[0] / 1e9,
        sums[2] / 1e9,
        100.0 * (sums[1] - sums[3]) / sums[3],
        sums[1] / 1e9,
        sums[3] / 1e9);
  }

  /** A fresh node (not measured), then the body, measured. */
  private static Shot shot(ApplyBenchmark b, Body body) throws Exception {
    b.freshNode();
    System.gc();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    body.run();
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();
    return new Shot(t1 - t0, cpu1 - cpu0);
  }

  private static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
