package io.sriov.sysfs.pci;

import io.sriov.os.Libc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Opens the directories of a discovery walk. Used by one thread at a time (implementations keep
 * buffers), lent from a {@link Pool}: {@link NativeSysfsReader} works on directory descriptors
 * ({@code openat}, {@code readlinkat}, {@code getdents64}), so the kernel resolves one component
 * per attribute instead of the whole {@code /sys/bus/pci/devices/<a>} path and its link, and no JDK
 * channel is set up per file; {@link NioSysfsReader} is the portable fallback with the same
 * behaviour.
 */
abstract sealed class SysfsReader permits NativeSysfsReader, NioSysfsReader {

  /** The directory; null when it does not exist or is not a directory. */
  abstract SysfsDir open(Path dir) throws IOException;

  /**
   * The native reader where libc can be bound here, the NIO reader otherwise, or when the system
   * property {@code sriov.sysfs.reader} is {@code nio} (to compare the two, or to rule out the
   * native path when diagnosing).
   */
  static SysfsReader create() {
    if ("nio".equals(System.getProperty("sriov.sysfs.reader"))) {
      return new NioSysfsReader();
    }
    return Libc.available().<SysfsReader>map(NativeSysfsReader::new).orElseGet(Fallback::nio);
  }

  /** Says once per JVM (on first use) that the walk runs on the NIO reader, and why. */
  private static final class Fallback {
    static {
      // Discovery still works, through the NIO reader, at about twice the CPU.
      LoggerFactory.getLogger(SysfsReader.class)
          .warn(
              "native sysfs reads unavailable, discovery uses NIO reason=\"{}\"",
              Libc.unavailableReason().orElse(""));
    }

    static SysfsReader nio() {
      return new NioSysfsReader();
    }
  }

  /**
   * The readers of one discovery, lent per open device directory and given back when it closes, so
   * a discovery keeps as many readers as it ever had directories open at once (walk threads times
   * nesting), whichever threads its walks run on. A reader tied to a thread instead (a thread
   * local) outlived the thread: the parallel walks run on the common pool, whose threads end after
   * a minute idle, so every periodic rescan of an idle daemon left readers behind whose direct
   * buffers were freed only at some later full GC.
   */
  static final class Pool {
    private final Supplier<SysfsReader> factory;
    private final Queue<SysfsReader> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger created = new AtomicInteger();

    Pool(Supplier<SysfsReader> factory) {
      this.factory = factory;
    }

    SysfsReader take() {
      SysfsReader r = idle.poll();
      if (r == null) {
        r = factory.get();
        created.incrementAndGet();
      }
      return r;
    }

    void give(SysfsReader r) {
      idle.add(r);
    }

    /** Readers made so far (tests: bounded by concurrency, not by the number of walks). */
    int created() {
      return created.get();
    }
  }

  /** Length of the text in {@code b[0..n)} without trailing newlines and blanks. */
  static int trimmedLength(byte[] b, int n) {
    int end = n;
    while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == ' ')) {
      end--;
    }
    return end;
  }
}
