package io.sriov.cni.plugin;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks a plugin's STATUS (CNI 1.1) shares with the project's other plugins: each fails with
 * code 50 (plugin not available: the runtime should not send ADD) and a message naming what is
 * unusable. The sriov and the bond plugin run the same ones, then their own, then IPAM's STATUS.
 */
public final class PluginStatus {
  private PluginStatus() {}

  /** A check that fails by throwing; its message becomes the error's. */
  @FunctionalInterface
  public interface Probe {
    void run() throws Exception;
  }

  /**
   * The plugin can keep its state in {@code dir}: it exists as a writable directory, or its nearest
   * existing ancestor is one (ADD creates the rest), as {@code test -w} would tell.
   */
  public static void requireWritableDirectory(String what, Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new CniException(
          CniErrorCode.PLUGIN_NOT_AVAILABLE,
          what + " " + dir + " cannot be written (nearest existing: " + existing + ")");
    }
  }

  /**
   * {@code probe} succeeds: the service the plugin needs (rtnetlink, a driver) answers. Fails with
   * {@code <what> unavailable: <the probe's message>}.
   */
  public static void requireAvailable(String what, Probe probe) {
    try {
      probe.run();
    } catch (Exception e) {
      throw new CniException(
          CniErrorCode.PLUGIN_NOT_AVAILABLE, what + " unavailable: " + e.getMessage());
    }
  }
}
