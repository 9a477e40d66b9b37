package io.sriov.deviceplugin.kubelet;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sriov.core.retry.Backoff;
import io.sriov.deviceplugin.api.pluginregistration.v1.InfoRequest;
import io.sriov.deviceplugin.api.pluginregistration.v1.PluginInfo;
import io.sriov.deviceplugin.api.pluginregistration.v1.RegistrationGrpc;
import io.sriov.deviceplugin.api.pluginregistration.v1.RegistrationStatus;
import io.sriov.deviceplugin.api.pluginregistration.v1.RegistrationStatusResponse;
import io.sriov.deviceplugin.api.v1beta1.RegisterRequest;
import io.sriov.deviceplugin.files.OwnedFiles;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.os.files.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool's kubelet endpoint: a gRPC server on {@code <prefix>_<name>.sock} serving the
 * DevicePlugin service, plus (watcher mode) the plugin-registration service on the same socket.
 * Legacy mode registers by calling {@code Register} on kubelet.sock. A rejected registration stops
 * the server and removes its socket: no dead socket is left behind.
 */
public final class PluginEndpoint {
  private static final Logger log = LoggerFactory.getLogger(PluginEndpoint.class);
  public static final String API_VERSION = "v1beta1";

  /** Lifecycle of an endpoint. */
  public enum State {
    /** Not listening. */
    STOPPED,
    /** Listening, registration not (yet) confirmed. */
    SERVING,
    /** Listening and registered with kubelet. */
    REGISTERED,
    /** Kubelet refused the registration; not listening. */
    REJECTED
  }

  private final PoolSpec spec;
  private final RegistrationMode mode;
  private final KubeletPaths paths;
  private final UnixTransport transport;
  private final DevicePluginService service;
  private final Executor background;
  private final MeterRegistry meters;
  private final Duration registerTimeout;
  private final Path socket;

  private static final SecureRandom RANDOM = new SecureRandom();
  private final OwnedFiles sockets = new OwnedFiles();
  private final Backoff registerBackoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  /** Bumped at every stop: a background Register of an earlier server is ignored. */
  private int generation;

  private int registeringGeneration = -1;
  private ManagedChannel inFlight;
  private Object lastTried;
  private Server server;
  private volatile State state = State.STOPPED;

  /** Legacy mode: identity of the kubelet.sock we registered with (or were rejected by). */
  private volatile Object kubeletIdentity;

  private volatile String lastError = "";

  public PluginEndpoint(
      PoolSpec spec,
      RegistrationMode mode,
      KubeletPaths paths,
      UnixTransport transport,
      DevicePluginService service,
      Executor background,
      MeterRegistry meters,
      Duration registerTimeout) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.paths = Objects.requireNonNull(paths, "paths");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.service = Objects.requireNonNull(service, "service");
    this.background = Objects.requireNonNull(background, "background");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.registerTimeout = Objects.requireNonNull(registerTimeout, "registerTimeout");
    String name = spec.socketName();
    if (name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException("unsafe socket name: " + name);
    }
    this.socket = paths.socketPath(mode, spec);
  }

  public PoolSpec spec() {
    return spec;
  }

  public Path socket() {
    return socket;
  }

  public State state() {
    return state;
  }

  /**
   * Legacy mode: true when kubelet.sock is no longer the one this endpoint registered with (or was
   * rejected by), i.e. kubelet restarted and must be told again.
   */
  public boolean kubeletChanged() {
    if (mode != RegistrationMode.LEGACY || kubeletIdentity == null) {
      return false;
    }
    Object now = OwnedFiles.identity(paths.kubeletSocket()).orElse(null);
    return now != null && !now.equals(kubeletIdentity);
  }

  /** Why the last registration failed or was rejected; empty when none did. */
  public String lastError() {
    return lastError;
  }

  public DevicePluginService service() {
    return service;
  }

  /** Starts listening (replacing a stale socket) and, in legacy mode, registers. */
  public synchronized void start() {
    if (state == State.SERVING || state == State.REGISTERED) {
      return;
    }
    List<BindableService> services = new ArrayList<>();
    services.add(service);
    if (mode == RegistrationMode.WATCHER) {
      services.add(new WatcherRegistration());
    }
    try {
      server = listen(services);
    } catch (RuntimeException e) {
      lastError = e.getMessage();
      throw e;
    }
    sockets.created(socket);
    state = State.SERVING;
    lastError = "";
    registerBackoff.succeeded();
    log.info("serving resource={} socket={} mode={}", spec.fullName(), socket, mode);
    if (mode == RegistrationMode.LEGACY) {
      registerWithKubelet();
    }
  }

  /**
   * Binds a hidden temp name in the socket's directory (kubelet's plugin watcher ignores dot
   * files), then renames it over the socket path: the socket appears atomically, replacing a stale
   * one, and the server's own removal of its bound path at shutdown (netty unlinks it) hits the
   * temp name, not a socket another instance may have put at the real path since.
   */
  private Server listen(List<BindableService> services) {
    Path temp =
        socket.resolveSibling(
            TEMP_SOCKET_GLOB.replace("*", HexFormat.of().toHexDigits(RANDOM.nextInt())));
    Server s = transport.serve(temp, services);
    try {
      Files.move(temp, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return s;
    } catch (IOException e) {
      s.shutdownNow();
      throw new UncheckedIOException("listen on " + socket + ": " + FileErrors.describe(e), e);
    }
  }

  /** The hidden temp socket names {@link #listen} binds before the rename. */
  static final String TEMP_SOCKET_GLOB = ".dp-*.sock";

  /**
   * A temp socket older than this is a leftover (a process killed between its bind and its rename);
   * a live instance renames its own within milliseconds.
   */
  public static final Duration TEMP_SOCKET_MAX_AGE = Duration.ofMinutes(1);

  /**
   * At start: removes the hidden temp sockets ({@code .dp-<hex>.sock}) in {@code dir} older than
   * {@link #TEMP_SOCKET_MAX_AGE} at {@code now}; returns the ones removed. A missing directory has
   * none.
   */
  public static List<Path> removeStaleTempSockets(Path dir, Instant now) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return removed;
    }
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_SOCKET_GLOB)) {
      for (Path t : temps) {
        try {
          Instant modified = Files.getLastModifiedTime(t, LinkOption.NOFOLLOW_LINKS).toInstant();
          if (modified.plus(TEMP_SOCKET_MAX_AGE).isBefore(now) && Files.deleteIfExists(t)) {
            removed.add(t);
          }
        } catch (IOException e) {
          log.warn("cannot remove stale temp socket={} error=\"{}\"", t, FileErrors.describe(e));
        }
      }
    } catch (IOException e) {
      log.warn("cannot list socket dir={} error=\"{}\"", dir, FileErrors.describe(e));
    }
    return removed;
  }

  /** Stops the server, ends the streams and removes the socket. */
  public synchronized void stop() {
    stopServer();
    state = State.STOPPED;
  }

  /** Stop then start: after kubelet removed the socket, or kubelet restarted. */
  public synchronized void restart(String reason) {
    log.info("restarting resource={} reason=\"{}\"", spec.fullName(), reason);
    Counter.builder("sriov.deviceplugin.restarts")
        .description("Endpoint restarts (socket removed, kubelet restarted).")
        .tag("resource", spec.fullName())
        .register(meters)
        .increment();
    stopServer();
    state = State.STOPPED;
    start();
  }

  /** True when the socket file is still where we created it. */
  public boolean socketPresent() {
    return Files.exists(socket, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Legacy mode: starts a {@code Register} call on kubelet.sock in the background, unless one is
   * running or the last failure's backoff has not passed (kubelet.sock unchanged); never blocks (a
   * kubelet that hangs costs one background thread for the call's deadline, not the caller).
   * Kubelet not reachable or not answering in time leaves the endpoint SERVING (retried with
   * backoff, logged once per change); any other error is a rejection.
   */
  public synchronized void registerWithKubelet() {
    if (state != State.SERVING
        || mode != RegistrationMode.LEGACY
        || registeringGeneration == generation) {
      return;
    }
    Path kubelet = paths.kubeletSocket();
    Object identity = OwnedFiles.identity(kubelet).orElse(null);
    // Backoff while nothing changed; a new kubelet.sock (kubelet started) is tried at once.
    if (!registerBackoff.due(System.nanoTime()) && Objects.equals(identity, lastTried)) {
      return;
    }
    lastTried = identity;
    if (identity == null) {
      registrationFailed("kubelet socket " + kubelet + " does not exist");
      return;
    }
    ManagedChannel ch = transport.dial(kubelet);
    int gen = generation;
    registeringGeneration = gen;
    inFlight = ch;
    background.execute(() -> register(ch, identity, gen));
  }

  /** True while a Register call of the current server is in flight (tests). */
  public synchronized boolean registering() {
    return registeringGeneration == generation;
  }

  private void register(ManagedChannel ch, Object identity, int gen) {
    Status status = Status.OK;
    try {
      io.sriov.deviceplugin.api.v1beta1.RegistrationGrpc.newBlockingStub(ch)
          .withDeadlineAfter(registerTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .register(
              RegisterRequest.newBuilder()
                  .setVersion(API_VERSION)
                  .setEndpoint(socket.getFileName().toString())
                  .setResourceName(spec.fullName())
                  .setOptions(DevicePluginService.options())
                  .build());
    } catch (StatusRuntimeException e) {
      status = e.getStatus();
    } catch (RuntimeException e) {
      status = Status.UNAVAILABLE.withDescription(e.toString());
    } finally {
      ch.shutdownNow();
    }
    registered(status, identity, gen);
  }

  private synchronized void registered(Status status, Object identity, int gen) {
    if (registeringGeneration == gen) {
      registeringGeneration = -1;
      inFlight = null;
    }
    if (gen != generation || state != State.SERVING) {
      return; // stopped or restarted meanwhile: that server's answer no longer matters
    }
    // Recorded whatever the outcome: the kubelet that timed out is the one to retry, not a
    // "restarted" kubelet to rebuild every endpoint for at the next round.
    kubeletIdentity = identity;
    Status.Code code = status.getCode();
    if (status.isOk()) {
      state = State.REGISTERED;
      lastError = "";
      registerBackoff.succeeded();
      count("registered");
      log.info("registered resource={} mode=legacy", spec.fullName());
    } else if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      registrationFailed("kubelet unreachable: " + status);
    } else {
      reject(String.valueOf(status.getDescription()));
    }
  }

  private void registrationFailed(String error) {
    count("unavailable");
    lastError = error;
    if (registerBackoff.failed(error, System.nanoTime())) {
      log.warn(
          "not registered resource={} error=\"{}\"; retrying with backoff, the next in {} ms",
          spec.fullName(),
          error,
          registerBackoff.delay().toMillis());
    } else {
      log.debug(
          "still not registered resource={} attempts={} error=\"{}\"",
          spec.fullName(),
          registerBackoff.failures(),
          error);
    }
  }

  private synchronized void reject(String error) {
    lastError = error;
    count("rejected");
    log.error("registration rejected resource={} error=\"{}\"", spec.fullName(), error);
    stopServer();
    state = State.REJECTED;
  }

  private synchronized void accepted() {
    if (state == State.SERVING) {
      state = State.REGISTERED;
      lastError = "";
      count("registered");
      log.info("registered resource={} mode=watcher", spec.fullName());
    }
  }

  private void count(String result) {
    Counter.builder("sriov.deviceplugin.registrations")
        .description("Registrations with kubelet, by result.")
        .tag("resource", spec.fullName())
        .tag("result", result)
        .register(meters)
        .increment();
  }

  private void stopServer() {
    generation++;
    if (inFlight != null) {
      inFlight.shutdownNow(); // a hanging Register must not hold up the stop
      inFlight = null;
    }
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    service.closeStreams();
    deleteOwnSocket();
  }

  /**
   * Removes the socket only if it is still the one this endpoint's server created: an instance
   * overlapping this one (a rolling update with surge) may have replaced it, and keeps it.
   */
  private void deleteOwnSocket() {
    try {
      if (!sockets.removeIfOwned(socket) && Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        log.info("socket left in place, another instance replaced it socket={}", socket);
      }
    } catch (IOException e) {
      log.warn("cannot remove socket={} error={}", socket, e.toString());
    }
  }

  /** {@code pluginregistration.Registration}, called by kubelet's plugin watcher. */
  private final class WatcherRegistration extends RegistrationGrpc.RegistrationImplBase {
    @Override
    public void getInfo(InfoRequest request, StreamObserver<PluginInfo> out) {
      out.onNext(
          PluginInfo.newBuilder()
              .setType("DevicePlugin")
              .setName(spec.fullName())
              .setEndpoint(socket.toString())
              // As upstream: kubelet's plugin watcher accepts either.
              .addSupportedVersions("v1alpha1")
              .addSupportedVersions(API_VERSION)
              .build());
      out.onCompleted();
    }

    @Override
    public void notifyRegistrationStatus(
        RegistrationStatus status, StreamObserver<RegistrationStatusResponse> out) {
      out.onNext(RegistrationStatusResponse.getDefaultInstance());
      out.onCompleted();
      if (status.getPluginRegistered()) {
        accepted();
      } else {
        // Answer first, then stop the server this call is running on.
        background.execute(() -> reject(status.getError()));
      }
    }
  }
}
