package io.sriov.deviceplugin.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubelet's directories, injected so tests use temp directories.
 *
 * @param devicePlugins {@code /var/lib/kubelet/device-plugins} (holds {@code kubelet.sock})
 * @param pluginsRegistry {@code /var/lib/kubelet/plugins_registry} (kubelet's plugin watcher)
 */
public record KubeletPaths(Path devicePlugins, Path pluginsRegistry) {
  public static final KubeletPaths DEFAULT =
      new KubeletPaths(
          Path.of("/var/lib/kubelet/device-plugins"), Path.of("/var/lib/kubelet/plugins_registry"));

  public KubeletPaths {
    Objects.requireNonNull(devicePlugins, "devicePlugins");
    Objects.requireNonNull(pluginsRegistry, "pluginsRegistry");
  }

  public Path kubeletSocket() {
    return devicePlugins.resolve("kubelet.sock");
  }

  /**
   * Plugin-watcher mode when the plugins_registry directory exists (as upstream decides), else
   * legacy {@code Register} on kubelet.sock.
   */
  public RegistrationMode detectMode() {
    return Files.isDirectory(pluginsRegistry) ? RegistrationMode.WATCHER : RegistrationMode.LEGACY;
  }

  /** Where a plugin's socket lives in {@code mode}. */
  public Path socketDir(RegistrationMode mode) {
    return mode == RegistrationMode.WATCHER ? pluginsRegistry : devicePlugins;
  }

  /**
   * Identity of a file (inode and timestamps), to tell a recreated kubelet.sock from the old one;
   * empty when it does not exist.
   */
  public static Optional<Object> identity(Path p) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(
          List.of(String.valueOf(a.fileKey()), a.creationTime(), a.lastModifiedTime()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
