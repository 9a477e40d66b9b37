package io.sriov.deviceplugin.kubelet;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC over Unix domain sockets (netty epoll, bundled in grpc-netty-shaded). One instance owns the
 * event loops shared by every server and channel it creates; close it last.
 */
public final class UnixTransport implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  public UnixTransport() {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "Unix domain sockets need netty's epoll transport, unavailable here: "
              + Epoll.unavailabilityCause());
    }
    this.boss = new EpollEventLoopGroup(1);
    this.workers = new EpollEventLoopGroup(2);
  }

  /**
   * Starts a server listening on {@code socket} (which must not exist). Its handlers run on the
   * event loop and must not block for long.
   */
  public Server serve(Path socket, List<BindableService> services) {
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            // Handlers answer from precomputed data (Allocate writes one small file per device on
            // tmpfs), so they run on the event loop: no thread hop per call.
            .directExecutor();
    services.forEach(b::addService);
    try {
      return b.build().start();
    } catch (IOException e) {
      Throwable root = e.getCause() != null ? e.getCause() : e;
      throw new UncheckedIOException("listen on " + socket + ": " + root.getMessage(), e);
    }
  }

  /** A plaintext channel to the server listening on {@code socket}. */
  public ManagedChannel dial(Path socket) {
    return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(workers)
        .directExecutor()
        .usePlaintext()
        .build();
  }

  @Override
  public void close() {
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
