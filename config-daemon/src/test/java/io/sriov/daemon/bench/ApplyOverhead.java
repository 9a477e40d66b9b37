package io.sriov.daemon.bench;

import io.sriov.core.testing.PairedRounds;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@link ApplyBenchmark}'s engine and bare-writes measurements side by side, for a shared, loaded
 * machine where JMH's one-benchmark-after-the-other runs see different loads (single shots of the
 * same apply ranged 20-124 s at load 20-35): each round measures {@link ApplyBenchmark#apply} (one
 * PF at a time), {@link ApplyBenchmark#bareSysfsWrites} (the engine's sysfs writes) and {@link
 * ApplyBenchmark#bareNodeWrites} (its sysfs writes and its rtnetlink VF MAC pins) back to back on
 * fresh nodes, rotating which goes first, and records both the wall time and the process's CPU time
 * (all threads: the apply thread, the simulated kernel, GC, JIT), which the other processes on the
 * machine disturb much less. Reported: the engine's overhead over each peer per round (median and
 * range), over the sums of all measured rounds (with a multiple of 3 rounds each order counts
 * equally), and between the medians of each side's shots (one slow shot of either side, a burst of
 * the other processes, moves neither median), and the per-round overheads' interquartile mean (the
 * mean of the middle half: steadier than the median, still blind to the outer quarters). CPU time
 * is read with {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} ({@link ProcessCpuClock}, in
 * nanoseconds); the median per round by the JDK's 10 ms tick clock, which earlier figures used, is
 * printed beside it, and the distribution-free 95 % interval of the per-round CPU overheads' median
 * ({@link PairedRounds}: a run shows the target met when its upper end is under it). Usage: {@code
 * ApplyOverhead [rounds=12] [warmup rounds=3]}.
 */
public final class ApplyOverhead {
  private ApplyOverhead() {}

  record Shot(long wallNanos, long cpuNanos, long tickCpuNanos) {}

  private static final ProcessCpuClock CPU = ProcessCpuClock.create();

  interface Body {
    void run() throws Exception;
  }

  private static final String[] NAMES = {"engine", "bare sysfs", "bare node"};

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ApplyBenchmark b = new ApplyBenchmark();
    b.recordWrites();
    System.out.printf(
        "recorded %d sysfs writes, %d node changes (sysfs and rtnetlink) for %d PFs x %d VFs%n",
        b.writes.size(), b.nodeWrites.size(), ApplyBenchmark.PFS, ApplyBenchmark.VFS);
    Body[] bodies = {b::apply, b::bareSysfsWrites, b::bareNodeWrites};
    // per peer (1: bare sysfs, 2: bare node): overheads per round, and sums [engine, peer]
    List<List<Double>> wallOverhead = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Double>> cpuOverhead = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Double>> tickOverhead = List.of(new ArrayList<>(), new ArrayList<>());
    long[][] sums = new long[3][2]; // [body][wall, cpu]
    List<List<Double>> cpuShots = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    List<List<Double>> wallShots = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < warmup + rounds; i++) {
      Shot[] shots = new Shot[3];
      for (int k = 0; k < 3; k++) {
        int body = (i + k) % 3;
        shots[body] = shot(b, bodies[body]);
      }
      boolean measured = i >= warmup;
      StringBuilder line = new StringBuilder(measured ? "round " + i : "warmup " + i);
      for (int body = 0; body < 3; body++) {
        line.append(
            String.format(
                Locale.ROOT,
                " | %s wall %.2f s cpu %.2f s",
                NAMES[body],
                shots[body].wallNanos() / 1e9,
                shots[body].cpuNanos() / 1e9));
      }
      for (int peer = 1; peer <= 2; peer++) {
        double wall = overhead(shots[0].wallNanos(), shots[peer].wallNanos());
        double cpu = overhead(shots[0].cpuNanos(), shots[peer].cpuNanos());
        line.append(
            String.format(
                Locale.ROOT, " | vs %s: wall %+.1f %% cpu %+.1f %%", NAMES[peer], wall, cpu));
        if (measured) {
          wallOverhead.get(peer - 1).add(wall);
          cpuOverhead.get(peer - 1).add(cpu);
          tickOverhead
              .get(peer - 1)
              .add(overhead(shots[0].tickCpuNanos(), shots[peer].tickCpuNanos()));
        }
      }
      line.append(
          String.format(
              Locale.ROOT,
              " | load %.1f",
              ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      System.out.println(line);
      if (measured) {
        for (int body = 0; body < 3; body++) {
          sums[body][0] += shots[body].wallNanos();
          sums[body][1] += shots[body].cpuNanos();
          wallShots.get(body).add(shots[body].wallNanos() / 1e9);
          cpuShots.get(body).add(shots[body].cpuNanos() / 1e9);
        }
      }
    }
    b.closeNode();
    for (int peer = 1; peer <= 2; peer++) {
      List<Double> w = wallOverhead.get(peer - 1);
      List<Double> c = cpuOverhead.get(peer - 1);
      System.out.printf(
          Locale.ROOT,
          "engine vs %s, median over %d rounds: wall %+.1f %% (range %+.1f..%+.1f), cpu %+.1f %%"
              + " (range %+.1f..%+.1f)%n",
          NAMES[peer],
          rounds,
          median(w),
          Collections.min(w),
          Collections.max(w),
          median(c),
          Collections.min(c),
          Collections.max(c));
      // the same per-round cpu overheads with the distribution-free 95 % interval of their median
      if (rounds >= 6) {
        System.out.printf(
            Locale.ROOT,
            "%s (cpu)%n",
            PairedRounds.of(array(cpuShots.get(0)), array(cpuShots.get(peer)))
                .summary("engine", NAMES[peer]));
      } else {
        System.out.printf("engine vs %s: no 95 %% interval under 6 rounds%n", NAMES[peer]);
      }
      System.out.printf(
          Locale.ROOT,
          "engine vs %s, per round: cpu interquartile mean %+.1f %%, cpu median by the JDK's 10 ms"
              + " tick clock %+.1f %%%n",
          NAMES[peer],
          interquartileMean(c),
          median(tickOverhead.get(peer - 1)));
      System.out.printf(
          Locale.ROOT,
          "engine vs %s, over the sums of %d rounds: wall %+.1f %% (engine %.2f s, %s %.2f s),"
              + " cpu %+.1f %% (engine %.2f s, %s %.2f s)%n",
          NAMES[peer],
          rounds,
          overhead(sums[0][0], sums[peer][0]),
          sums[0][0] / 1e9,
          NAMES[peer],
          sums[peer][0] / 1e9,
          overhead(sums[0][1], sums[peer][1]),
          sums[0][1] / 1e9,
          NAMES[peer],
          sums[peer][1] / 1e9);
      System.out.printf(
          Locale.ROOT,
          "engine vs %s, between the medians of %d shots each: wall %+.1f %% (engine %.3f s, %s"
              + " %.3f s), cpu %+.1f %% (engine %.3f s, %s %.3f s)%n",
          NAMES[peer],
          rounds,
          100.0
              * (median(wallShots.get(0)) - median(wallShots.get(peer)))
              / median(wallShots.get(peer)),
          median(wallShots.get(0)),
          NAMES[peer],
          median(wallShots.get(peer)),
          100.0
              * (median(cpuShots.get(0)) - median(cpuShots.get(peer)))
              / median(cpuShots.get(peer)),
          median(cpuShots.get(0)),
          NAMES[peer],
          median(cpuShots.get(peer)));
    }
  }

  private static double[] array(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double overhead(long engine, long peer) {
    return 100.0 * (engine - peer) / peer;
  }

  /** A fresh node (not measured), then the body, measured. */
  private static Shot shot(ApplyBenchmark b, Body body) throws Exception {
    b.freshNode();
    System.gc();
    long tick0 = ProcessCpuClock.jdkTicksNanos();
    long cpu0 = CPU.nanos();
    long t0 = System.nanoTime();
    body.run();
    long t1 = System.nanoTime();
    long cpu1 = CPU.nanos();
    long tick1 = ProcessCpuClock.jdkTicksNanos();
    return new Shot(t1 - t0, cpu1 - cpu0, tick1 - tick0);
  }

  /** The mean of the middle half of {@code values} (the lowest and highest quarter left out). */
  static double interquartileMean(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int drop = s.size() / 4;
    List<Double> middle = s.subList(drop, s.size() - drop);
    return middle.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
