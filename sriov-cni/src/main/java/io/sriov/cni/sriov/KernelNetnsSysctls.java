package io.sriov.cni.sriov;

import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.route.NamespaceVisit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link NetnsSysctls} on the kernel: the writes run on a {@link NetnsExecutor} thread that entered
 * the namespace (one for all the keys of a {@link #writeAll}), so {@code /proc/sys/net} resolves to
 * that namespace's settings.
 */
public final class KernelNetnsSysctls implements NetnsSysctls {
  private static final Path PROC_SYS = Path.of("/proc/sys");

  private final NetnsExecutor executor;

  public KernelNetnsSysctls(NetnsExecutor executor) {
    this.executor = executor;
  }

  @Override
  public boolean write(Path netns, String key, String value) {
    SequencedMap<String, String> one = new LinkedHashMap<>();
    one.put(key, value);
    return writeAll(netns, one).isEmpty();
  }

  @Override
  public List<String> writeAll(Path netns, SequencedMap<String, String> keyValues) {
    return inside(
            netns,
            keyValues,
            task -> {
              try (NetNamespace ns = NetNamespace.open(netns)) {
                List<String> missing = executor.run(ns, task);
                return () -> missing;
              }
            })
        .await();
  }

  /** On the visit's thread, inside already: no thread and no {@code setns} of their own. */
  @Override
  public List<String> writeAll(NamespaceVisit visit, SequencedMap<String, String> keyValues) {
    return writeAllLater(visit, keyValues).await();
  }

  /** Handed to the visit's thread; the caller goes on until {@link Writes#await}. */
  @Override
  public Writes writeAllLater(NamespaceVisit visit, SequencedMap<String, String> keyValues) {
    return inside(visit.namespace(), keyValues, visit::submit);
  }

  /** How the writes get inside the namespace. */
  @FunctionalInterface
  private interface Entry {
    NamespaceVisit.Pending<List<String>> submit(NetnsExecutor.Task<List<String>> task)
        throws NetlinkException;
  }

  private static Writes inside(Path netns, SequencedMap<String, String> keyValues, Entry entry) {
    for (String key : keyValues.keySet()) {
      if (key.startsWith("/") || key.contains("..")) {
        throw new IllegalArgumentException("not a sysctl key: " + key);
      }
    }
    // the key being written, for the error; the task's thread sets it, the waiter reads it after
    AtomicReference<String> current = new AtomicReference<>("");
    NetnsExecutor.Task<List<String>> task =
        () -> {
          List<String> missing = new ArrayList<>();
          for (Map.Entry<String, String> e : keyValues.entrySet()) {
            current.set(e.getKey() + "=" + e.getValue());
            try {
              Files.write(
                  PROC_SYS.resolve(e.getKey()),
                  e.getValue().getBytes(StandardCharsets.US_ASCII),
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING);
            } catch (NoSuchFileException absent) {
              missing.add(e.getKey());
            }
          }
          return missing;
        };
    NamespaceVisit.Pending<List<String>> pending;
    try {
      pending = entry.submit(task);
    } catch (NetlinkException | RuntimeException e) {
      throw failure(netns, keyValues, current.get(), e);
    }
    return () -> {
      try {
        return pending.await();
      } catch (NetlinkException | RuntimeException e) {
        throw failure(netns, keyValues, current.get(), e);
      }
    };
  }

  /** A failure of the writes, naming the key (or, before any was written, all of them). */
  private static RuntimeException failure(
      Path netns, SequencedMap<String, String> keyValues, String current, Exception e) {
    if (e instanceof NetlinkException) {
      return new UncheckedIOException(
          new IOException(
              "sysctl " + listed(keyValues) + " in " + netns + ": " + e.getMessage(), e));
    }
    if (e.getCause() instanceof IOException io) {
      return new UncheckedIOException(
          "sysctl " + current + " in " + netns + ": " + io.getMessage(), io);
    }
    return (RuntimeException) e;
  }

  /** {@code k=v, k=v}: the keys of a call, for an error naming what was not written. */
  private static String listed(SequencedMap<String, String> keyValues) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : keyValues.entrySet()) {
      b.append(b.isEmpty() ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }
}
