package io.sriov.netlink.route;

import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link RtnlNamespaces} on the real kernel: each {@link #open} opens the namespace file, opens a
 * NETLINK_ROUTE socket inside it on a fresh platform thread ({@link NetnsExecutor}) and closes the
 * file again (the socket keeps the namespace alive while it is open). {@link #exists} only opens
 * the file.
 */
public final class KernelRtnlNamespaces implements RtnlNamespaces, AutoCloseable {
  /** The process's own network namespace: the host's for the node daemon. */
  public static final Path PROCESS_NAMESPACE = Path.of("/proc/self/ns/net");

  /** How long a {@link #visit}'s thread waits inside for work before it ends (a dead caller). */
  public static final Duration VISIT_IDLE_LIMIT = Duration.ofSeconds(60);

  private final NetnsExecutor executor;
  private final Path host;
  private final Deque<RtnlClient> idleHost = new ArrayDeque<>(); // guarded by itself
  private boolean closed; // guarded by idleHost: no host socket is kept after close

  /**
   * @param host the path of the node's own namespace, usually {@link #PROCESS_NAMESPACE}
   */
  public KernelRtnlNamespaces(NetnsExecutor executor, Path host) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.host = Objects.requireNonNull(host, "host");
  }

  /**
   * The namespaces of this process's node, the host being the process's own namespace: ONE per
   * long-lived process (its node object holds it and closes it), so its kept host sockets and its
   * executor's spare thread serve every caller.
   */
  public static KernelRtnlNamespaces system() {
    return new KernelRtnlNamespaces(new NetnsExecutor(), PROCESS_NAMESPACE);
  }

  /**
   * The process's namespaces for a process that makes one call and exits (a standalone CNI plugin):
   * no spare thread is started ahead ({@link NetnsExecutor#withoutSpares}).
   */
  public static KernelRtnlNamespaces forOneCall() {
    return new KernelRtnlNamespaces(NetnsExecutor.withoutSpares(), PROCESS_NAMESPACE);
  }

  /**
   * Closes the kept host sockets and ends the executor's waiting spare thread. Idempotent; the
   * object still works afterwards (for a call that was running), keeping nothing: a host socket
   * given back is closed, a visit takes a fresh thread.
   */
  @Override
  public void close() {
    List<RtnlClient> kept;
    synchronized (idleHost) {
      closed = true;
      kept = List.copyOf(idleHost);
      idleHost.clear();
    }
    kept.forEach(RtnlClient::closeSocket);
    executor.closeSpares();
  }

  @Override
  public Path hostNamespace() {
    return host;
  }

  /**
   * rtnetlink in {@code namespace}. The host's, when the host is the process's own namespace
   * ({@link #PROCESS_NAMESPACE}, which lives as long as the process), is reused: its close gives it
   * back to at most {@link #IDLE_HOST_SOCKETS} kept open for the next {@code open} of the host (a
   * CNI call opens one per ADD and DEL: a socket, its bind and the namespace checks each time
   * otherwise). Any other namespace's is opened each time (an open socket keeps its namespace
   * alive).
   */
  @Override
  public RtnlOperations open(Path namespace) throws NetlinkException {
    boolean isHost = namespace.equals(host) && host.equals(PROCESS_NAMESPACE);
    if (isHost) {
      synchronized (idleHost) {
        RtnlClient idle = idleHost.pollFirst();
        if (idle != null) {
          return idle;
        }
      }
    }
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      NetlinkSocket socket = executor.openSocket(ns, Netlink.NETLINK_ROUTE, 0);
      return isHost ? new RtnlClient(socket, this::giveBack) : new RtnlClient(socket);
    }
  }

  /** A host client closed by its user: kept for the next {@link #open}, or closed. */
  private void giveBack(RtnlClient client) {
    synchronized (idleHost) {
      if (idleHost.contains(client)) {
        return; // closed twice
      }
      if (!closed && idleHost.size() < IDLE_HOST_SOCKETS) {
        idleHost.addFirst(client);
        return;
      }
    }
    client.closeSocket();
  }

  /** How many host sockets {@link #idleHostSockets} hold at most (a daemon's concurrent calls). */
  static final int IDLE_HOST_SOCKETS = 8;

  /** The host's rtnetlink clients kept for reuse, now. */
  int idleHostSockets() {
    synchronized (idleHost) {
      return idleHost.size();
    }
  }

  /**
   * A thread held inside {@code namespace} ({@link NetnsExecutor#hold}, ended by the visit's close
   * or after {@link #VISIT_IDLE_LIMIT} without work) that opens the NETLINK_ROUTE socket at once; a
   * namespace file that does not open fails {@link NamespaceVisit#rtnl} and {@link
   * NamespaceVisit#run} as {@link #open} would.
   */
  @Override
  public NamespaceVisit visit(Path namespace) {
    NetnsExecutor.Held held;
    try {
      held = executor.hold(NetNamespace.open(namespace), VISIT_IDLE_LIMIT);
    } catch (NetlinkException e) {
      return failedVisit(namespace, e);
    }
    CompletableFuture<RtnlClient> socket = held.submit(RtnlClient::open);
    return new NamespaceVisit() {
      private boolean taken;

      @Override
      public Path namespace() {
        return namespace;
      }

      @Override
      public synchronized RtnlOperations rtnl() throws NetlinkException {
        if (taken) {
          throw new IllegalStateException("the visit's rtnetlink of " + namespace + " was taken");
        }
        taken = true;
        return held.await(socket);
      }

      @Override
      public <T> T run(NetnsExecutor.Task<T> task) throws NetlinkException {
        return held.run(task);
      }

      @Override
      public <T> Pending<T> submit(NetnsExecutor.Task<T> task) {
        CompletableFuture<T> f = held.submit(task);
        return () -> held.await(f);
      }

      @Override
      public synchronized void close() {
        held.close();
        if (!taken) {
          taken = true;
          socket.thenAccept(RtnlClient::close);
        }
      }
    };
  }

  private static NamespaceVisit failedVisit(Path namespace, NetlinkException failure) {
    return new NamespaceVisit() {
      @Override
      public Path namespace() {
        return namespace;
      }

      @Override
      public RtnlOperations rtnl() throws NetlinkException {
        throw failure;
      }

      @Override
      public <T> T run(NetnsExecutor.Task<T> task) throws NetlinkException {
        throw failure;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * One fresh platform thread ({@link NetnsExecutor#walk}) enters each namespace in turn and dumps
   * there on a socket opened inside, instead of a thread per namespace; it ends after the walk. A
   * failure to start the walk's thread fails every namespace.
   */
  @Override
  public List<Path> inEach(List<Path> namespaces, Duration budget, Visitor visitor) {
    try {
      return executor.walk(
          walker ->
              RtnlNamespaces.walk(
                  namespaces,
                  budget,
                  path -> {
                    try (NetNamespace ns = NetNamespace.open(path)) {
                      walker.enter(ns);
                    }
                    return RtnlClient.open();
                  },
                  visitor));
    } catch (NetlinkException e) {
      namespaces.forEach(ns -> visitor.failed(ns, e));
      return List.of();
    }
  }

  @Override
  public boolean exists(Path namespace) {
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      return ns.isNamespace();
    } catch (NetlinkException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "KernelRtnlNamespaces[host=" + host + "]";
  }
}
