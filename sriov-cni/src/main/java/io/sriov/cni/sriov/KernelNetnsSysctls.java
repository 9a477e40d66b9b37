package io.sriov.cni.sriov;

import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link NetnsSysctls} on the kernel: the write runs on a {@link NetnsExecutor} thread that entered
 * the namespace, so {@code /proc/sys/net} resolves to that namespace's settings.
 */
public final class KernelNetnsSysctls implements NetnsSysctls {
  private static final Path PROC_SYS = Path.of("/proc/sys");

  private final NetnsExecutor executor;

  public KernelNetnsSysctls(NetnsExecutor executor) {
    this.executor = executor;
  }

  @Override
  public boolean write(Path netns, String key, String value) {
    if (key.startsWith("/") || key.contains("..")) {
      throw new IllegalArgumentException("not a sysctl key: " + key);
    }
    Path file = PROC_SYS.resolve(key);
    try (NetNamespace ns = NetNamespace.open(netns)) {
      return executor.run(
          ns,
          () -> {
            try {
              Files.write(
                  file,
                  value.getBytes(StandardCharsets.US_ASCII),
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING);
              return true;
            } catch (NoSuchFileException e) {
              return false;
            }
          });
    } catch (NetlinkException e) {
      throw new UncheckedIOException(
          new IOException(
              "sysctl " + key + "=" + value + " in " + netns + ": " + e.getMessage(), e));
    } catch (RuntimeException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(
            "sysctl " + key + "=" + value + " in " + netns + ": " + io.getMessage(), io);
      }
      throw e;
    }
  }
}
