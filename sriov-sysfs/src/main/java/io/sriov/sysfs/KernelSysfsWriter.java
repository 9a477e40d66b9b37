package io.sriov.sysfs;

import io.sriov.os.Errno;
import io.sriov.os.Libc;
import io.sriov.os.SyscallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes sysfs attributes on the real kernel. Each write runs on its own platform daemon thread and
 * the caller waits at most the given timeout: a driver stuck inside {@code sriov_numvfs} (i40e can
 * block for ever) cannot hang the caller. A write that timed out keeps its thread until the kernel
 * returns; at most {@code maxStuckWrites} such threads exist, after which writes fail fast with
 * {@link Errno#EAGAIN} instead of piling up threads.
 */
public final class KernelSysfsWriter implements SysfsWriter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KernelSysfsWriter.class);

  /** Default bound on writes still stuck in the kernel after their caller gave up. */
  public static final int DEFAULT_MAX_STUCK_WRITES = 8;

  private final ExecutorService executor;
  private final AtomicInteger stuck = new AtomicInteger();
  private final int maxStuckWrites;

  public KernelSysfsWriter() {
    this(DEFAULT_MAX_STUCK_WRITES);
  }

  public KernelSysfsWriter(int maxStuckWrites) {
    if (maxStuckWrites < 1) {
      throw new IllegalArgumentException("maxStuckWrites must be >= 1: " + maxStuckWrites);
    }
    this.maxStuckWrites = maxStuckWrites;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "sysfs-write-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = Executors.newCachedThreadPool(threads);
  }

  /** Writes whose caller timed out and that the kernel has not yet answered. */
  public int stuckWrites() {
    return stuck.get();
  }

  @Override
  public void write(Path file, String value, Duration timeout) throws SysfsException {
    String operation = "write " + quote(value) + " to " + file;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (stuck.get() >= maxStuckWrites) {
      throw new SysfsException(
          operation,
          "",
          file,
          Errno.EAGAIN,
          stuck.get() + " earlier writes are still stuck in the kernel; not starting another");
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<IOException> result =
        CompletableFuture.supplyAsync(() -> writeOnce(file, bytes), executor);
    IOException failure;
    try {
      failure = result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      stuck.incrementAndGet();
      result.whenComplete(
          (late, error) -> {
            stuck.decrementAndGet();
            log.warn(
                "stuck sysfs write returned file={} result={}",
                file,
                late == null ? "ok" : Errno.of(late).name());
          });
      throw new SysfsException(
          operation,
          "",
          file,
          Errno.ETIMEDOUT,
          "no answer from the kernel within "
              + timeout.toMillis()
              + " ms; the write may still complete");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SysfsException(operation, "", file, Errno.EINTR, "interrupted while waiting", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("sysfs write task failed", e.getCause());
    }
    if (failure != null) {
      throw new SysfsException(operation, "", file, Errno.of(failure), null, failure);
    }
  }

  /**
   * One open + one write(2) through the libc binding, so a refusal carries the errno the kernel
   * returned; returns the failure instead of throwing it across threads.
   */
  private static IOException writeOnce(Path file, byte[] bytes) {
    Optional<Libc> libc = Libc.available();
    if (libc.isEmpty()) {
      return writeNio(file, bytes);
    }
    Libc l = libc.get();
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, bytes.length));
    buf.put(0, bytes);
    try {
      int fd = l.open(file.toString(), Libc.O_WRONLY | Libc.O_TRUNC, "open " + file);
      try {
        long n = l.write(fd, l.address(buf), bytes.length, "write", file);
        if (n < bytes.length) {
          return new IOException("short write: " + (bytes.length - n) + " bytes not taken");
        }
      } finally {
        l.closeQuietly(fd);
      }
      return null;
    } catch (SyscallException e) {
      return e;
    }
  }

  /**
   * The same write where libc cannot be bound (see {@link Libc#unavailableReason()}): the JDK keeps
   * the errno to itself, so {@link Errno#of(IOException)} knows only what the exception type says
   * (ENOENT, EACCES) and reads anything else as EIO.
   */
  private static IOException writeNio(Path file, byte[] bytes) {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      ch.write(buf);
      if (buf.hasRemaining()) {
        return new IOException("short write: " + buf.remaining() + " bytes not taken");
      }
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  static String quote(String value) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < value.length() && i < 64; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\0' -> b.append("\\0");
        case '"' -> b.append("\\\"");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (value.length() > 64) {
      b.append("...");
    }
    return b.append('"').toString();
  }

  /** Stops the writer threads (threads stuck in the kernel stay until it answers). */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "KernelSysfsWriter[stuck=" + stuck.get() + "]";
  }
}
