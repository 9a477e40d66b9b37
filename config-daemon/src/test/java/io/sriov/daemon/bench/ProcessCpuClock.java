package io.sriov.daemon.bench;

import java.lang.management.ManagementFactory;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.Out;

/**
 * The process's CPU time, all threads (those that ended too), in nanoseconds: {@code
 * clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}. The JDK's {@code
 * OperatingSystemMXBean.getProcessCpuTime()} counts 10 ms ticks on Linux, +-1 % of a 1 s apply shot
 * by itself; the benchmarks compare shots a few percent apart. Benchmark code only (the project's
 * libc binding is sriov-os's, which has no clock).
 */
final class ProcessCpuClock {
  /** libc's clock. */
  public interface Clock {
    // int clock_gettime(clockid_t clk, struct timespec *tp);   tp: { time_t tv_sec; long tv_nsec; }
    int clock_gettime(int clockId, @Out long[] timespec);
  }

  private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

  private final Clock clock;

  private ProcessCpuClock(Clock clock) {
    this.clock = clock;
  }

  /** libc's clock; fails (naming why) where it cannot be bound: no silent fall-back to ticks. */
  static ProcessCpuClock create() {
    ProcessCpuClock c = new ProcessCpuClock(LibraryLoader.create(Clock.class).load("c"));
    c.nanos();
    return c;
  }

  long nanos() {
    long[] ts = new long[2];
    if (clock.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, ts) != 0) {
      throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    }
    return ts[0] * 1_000_000_000L + ts[1];
  }

  /** The JDK's tick-based figure, for comparison. */
  static long jdkTicksNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
