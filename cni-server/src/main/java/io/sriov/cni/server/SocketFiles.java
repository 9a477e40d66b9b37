package io.sriov.cni.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's socket on disk: its directory belongs to the server (created, or set, to 0700, so
 * nobody else reaches the socket even between bind and chmod), the socket is 0600; a stale socket
 * left by a killed daemon is replaced, a live one is not.
 */
final class SocketFiles {
  private static final Logger log = LoggerFactory.getLogger(SocketFiles.class);
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private SocketFiles() {}

  /** A bound socket; {@link #close()} closes it and removes its file if it is still this one. */
  record Bound(ServerSocketChannel channel, Path path, Object fileKey) implements AutoCloseable {
    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        log.warn("CNI socket close failed socket={} error={}", path, e.toString());
      }
      try {
        if (fileKey != null
            && fileKey.equals(
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey())) {
          Files.deleteIfExists(path);
        }
      } catch (NoSuchFileException e) {
        // already gone
      } catch (IOException e) {
        log.warn("CNI socket not removed socket={} error={}", path, e.toString());
      }
    }
  }

  static Bound bind(Path socket) throws IOException {
    Path dir = socket.getParent();
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if ((mode & S_IFMT) != S_IFSOCK) {
        throw new IOException("CNI socket " + socket + " exists and is not a socket");
      }
      if (listening(socket)) {
        throw new IOException("another CNI server is listening on " + socket);
      }
      log.info("CNI socket stale (nobody listening), replaced socket={}", socket);
      Files.delete(socket);
    }
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.bind(UnixDomainSocketAddress.of(socket), 128);
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      Object key =
          Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      return new Bound(channel, socket, key);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static boolean listening(Path socket) throws IOException {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (SocketException e) {
      if (String.valueOf(e.getMessage()).contains("Connection refused")) {
        return false;
      }
      throw e;
    }
  }
}
