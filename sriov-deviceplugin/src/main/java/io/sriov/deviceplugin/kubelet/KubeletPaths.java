package io.sriov.deviceplugin.kubelet;

import io.sriov.deviceplugin.pool.PoolSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
   * Longest path a Unix socket address holds: {@code sun_path} is 108 bytes including the NUL
   * (Linux {@code struct sockaddr_un}); kubelet dials the same path.
   */
  public static final int MAX_SOCKET_PATH = 107;

  /** {@code -<16 hex>.sock}: the end of a shortened socket name. */
  private static final int HASHED_TAIL = 1 + 16 + ".sock".length();

  /**
   * Where the pool's socket lives in {@code mode}: upstream's {@code <prefix>_<name>.sock} when the
   * whole path fits in {@link #MAX_SOCKET_PATH} bytes, else {@code <prefix>_<name>} cut to fit,
   * then {@code -<first 16 hex digits of SHA-256 of prefix/name>.sock}, so that every valid
   * resource name can be served (a 63-character name does not fit under the default directory
   * otherwise) and two names never share a socket. Kubelet learns the name from the registration
   * ({@code Register.endpoint}, {@code GetInfo.endpoint}), so any name works for it.
   *
   * @throws IllegalArgumentException when the directory leaves no room for any socket name
   */
  public Path socketPath(RegistrationMode mode, PoolSpec spec) {
    Path dir = socketDir(mode);
    int dirBytes = utf8Length(dir.toString()) + 1;
    String upstream = spec.socketName();
    if (dirBytes + utf8Length(upstream) <= MAX_SOCKET_PATH) {
      return dir.resolve(upstream);
    }
    int room = MAX_SOCKET_PATH - dirBytes - HASHED_TAIL;
    if (room < 1) {
      throw new IllegalArgumentException(socketRoomError(dir));
    }
    String base = spec.prefix() + "_" + spec.name(); // ASCII: validated resource names
    String hash = HexFormat.of().formatHex(sha256(spec.fullName())).substring(0, 16);
    return dir.resolve(base.substring(0, Math.min(room, base.length())) + "-" + hash + ".sock");
  }

  /** Empty when sockets fit in the directory of {@code mode}, else why not. */
  public Optional<String> checkSocketRoom(RegistrationMode mode) {
    Path dir = socketDir(mode);
    return utf8Length(dir.toString()) + 1 + HASHED_TAIL + 1 > MAX_SOCKET_PATH
        ? Optional.of(socketRoomError(dir))
        : Optional.empty();
  }

  private static String socketRoomError(Path dir) {
    return "socket directory "
        + dir
        + " is "
        + utf8Length(dir.toString())
        + " bytes long: a Unix socket path holds at most "
        + MAX_SOCKET_PATH
        + " bytes (sun_path, 108 with the NUL), which leaves no room for a socket name of at"
        + " least "
        + (HASHED_TAIL + 1)
        + " bytes";
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
