package io.sriov.cni.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the CNI server runs.
 *
 * @param socket the Unix socket; its directory is the server's own (created or set to 0700)
 * @param workers calls run at once; more wait in the queue
 * @param queue calls waiting for a worker before the server answers "busy" (CNI code 11)
 * @param readTimeout how long a connected client has to send its whole request
 * @param shutdownGrace how long {@link CniServer#close()} lets running and queued calls finish
 */
public record CniServerOptions(
    Path socket, int workers, int queue, Duration readTimeout, Duration shutdownGrace) {
  /** Where the shim looks by default (its build-time default, {@code cni.shim.socket}). */
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/sriov-node/cni.sock");

  public static final int DEFAULT_WORKERS = 16;
  public static final int DEFAULT_QUEUE = 64;
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  public CniServerOptions {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (!socket.isAbsolute() || socket.getParent() == null) {
      throw new IllegalArgumentException("CNI socket " + socket + ": needs an absolute path");
    }
    if (workers < 1 || queue < 0) {
      throw new IllegalArgumentException(
          "CNI server: workers " + workers + " must be 1 or more, queue " + queue + " 0 or more");
    }
    if (readTimeout.isNegative() || readTimeout.isZero() || shutdownGrace.isNegative()) {
      throw new IllegalArgumentException(
          "CNI server: read timeout "
              + readTimeout
              + " must be positive, grace "
              + shutdownGrace
              + " not negative");
    }
  }

  /** The defaults on {@code socket}. */
  public static CniServerOptions defaults(Path socket) {
    return new CniServerOptions(
        socket, DEFAULT_WORKERS, DEFAULT_QUEUE, DEFAULT_READ_TIMEOUT, DEFAULT_SHUTDOWN_GRACE);
  }
}
