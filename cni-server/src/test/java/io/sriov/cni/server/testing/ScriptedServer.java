package io.sriov.cni.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A stand-in for the CNI server that plays one scripted connection: for the shim's tests of answers
 * a real server never gives (malformed, hanging, closing at the wrong time).
 */
public final class ScriptedServer implements AutoCloseable {
  /** What the server does with its one connection. */
  @FunctionalInterface
  public interface Script {
    void play(SocketChannel channel, InputStream in, OutputStream out) throws Exception;
  }

  private final ServerSocketChannel server;
  private final Path socket;
  private final CompletableFuture<Void> done;

  private ScriptedServer(ServerSocketChannel server, Path socket, CompletableFuture<Void> done) {
    this.server = server;
    this.socket = socket;
    this.done = done;
  }

  /** Listens on {@code socket} and plays {@code script} on the first connection, in a thread. */
  public static ScriptedServer start(Path socket, Script script) {
    try {
      Files.deleteIfExists(socket);
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      CompletableFuture<Void> done = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                try (SocketChannel ch = server.accept()) {
                  script.play(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
                  done.complete(null);
                } catch (Throwable e) {
                  done.completeExceptionally(e);
                }
              },
              "scripted-cni-server");
      t.setDaemon(true);
      t.start();
      return new ScriptedServer(server, socket, done);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Completes when the script has run (exceptionally with what it threw). */
  public CompletableFuture<Void> done() {
    return done;
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
  }
}
