package io.sriov.deviceplugin.testing;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sriov.deviceplugin.api.v1beta1.Empty;
import io.sriov.deviceplugin.api.v1beta1.RegisterRequest;
import io.sriov.deviceplugin.api.v1beta1.RegistrationGrpc;
import io.sriov.deviceplugin.kubelet.UnixTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Kubelet's legacy registration side: a {@code v1beta1.Registration} server on {@code
 * <dir>/kubelet.sock}. {@link #restart()} behaves as a new kubelet does: it deletes every socket in
 * the directory, then listens again.
 */
public final class FakeKubelet implements AutoCloseable {
  private final UnixTransport transport;
  private final Path socket;
  public final BlockingQueue<RegisterRequest> registrations = new LinkedBlockingQueue<>();

  /** Decides the answer to a Register call; null means accept. */
  public volatile Function<RegisterRequest, Status> policy = r -> null;

  /** When true, Register calls are recorded and never answered (a kubelet that hangs). */
  public volatile boolean hang;

  private Server server;

  public FakeKubelet(UnixTransport transport, Path devicePluginsDir) {
    this.transport = transport;
    this.socket = devicePluginsDir.resolve("kubelet.sock");
  }

  public Path socket() {
    return socket;
  }

  public FakeKubelet start() {
    server = transport.serve(socket, List.<BindableService>of(new Service()));
    return this;
  }

  public void stop() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops, removes every socket of the directory (as a starting kubelet does), starts again. */
  public void restart() {
    stop();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(socket.getParent(), "*.sock")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  /** Next registration, or null after 30 s (a bound, not an expectation). */
  public RegisterRequest nextRegistration() throws InterruptedException {
    return registrations.poll(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    stop();
  }

  private final class Service extends RegistrationGrpc.RegistrationImplBase {
    @Override
    public void register(RegisterRequest request, StreamObserver<Empty> out) {
      Status refusal = policy.apply(request);
      if (refusal != null) {
        out.onError(refusal.asRuntimeException());
        return;
      }
      registrations.add(request);
      if (hang) {
        return;
      }
      out.onNext(Empty.getDefaultInstance());
      out.onCompleted();
    }
  }
}
