package io.sriov.netlink.route;

import io.sriov.netlink.NetlinkException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * {@link RtnlNamespaces} whose temporary namespaces are reused, for a long-running process (the
 * node daemon hosting the CNI plugins): instead of creating a network namespace per call and
 * destroying it after (the kernel initialises every per-namespace subsystem on creation and tears
 * them down asynchronously on destruction: the costliest kernel work of a CNI ADD when measured in
 * the guest), a handle given back holding nothing but {@code lo} returns its namespace, with its
 * open rtnetlink socket, to the pool (at most {@code maxIdle} kept); a namespace still holding
 * anything else is destroyed as before, so hardware netdevs in it go back to the host. The crash
 * guarantee of {@link TemporaryNamespace} stays: the pool's namespaces live by this process's file
 * descriptors, and when the process dies the kernel destroys them and returns a VF inside to the
 * host. A namespace is handed to one caller at a time. Everything else is the delegate's.
 */
public final class TemporaryNamespacePool implements RtnlNamespaces {
  private final RtnlNamespaces delegate;
  private final int maxIdle;
  private final Deque<TemporaryNamespace> idle = new ArrayDeque<>();

  /**
   * @param maxIdle how many unused namespaces to keep (a daemon's concurrent CNI calls)
   */
  public TemporaryNamespacePool(RtnlNamespaces delegate, int maxIdle) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxIdle < 1) {
      throw new IllegalArgumentException("maxIdle must be at least 1, got " + maxIdle);
    }
    this.maxIdle = maxIdle;
  }

  @Override
  public Path hostNamespace() {
    return delegate.hostNamespace();
  }

  @Override
  public RtnlOperations open(Path namespace) throws NetlinkException {
    return delegate.open(namespace);
  }

  @Override
  public boolean exists(Path namespace) {
    return delegate.exists(namespace);
  }

  @Override
  public List<Path> inEach(List<Path> namespaces, Duration budget, Visitor visitor) {
    return delegate.inEach(namespaces, budget, visitor);
  }

  @Override
  public TemporaryNamespace createTemporary() throws NetlinkException {
    TemporaryNamespace ns;
    synchronized (idle) {
      ns = idle.pollFirst();
    }
    return new Lease(ns != null ? ns : delegate.createTemporary());
  }

  /** Unused namespaces kept now (for tests and the log). */
  public int idle() {
    synchronized (idle) {
      return idle.size();
    }
  }

  /** Destroys the unused namespaces (a stopping process: its exit would do the same). */
  public void clear() {
    synchronized (idle) {
      idle.forEach(TemporaryNamespace::close);
      idle.clear();
    }
  }

  /** Whether {@code ns} holds only its loopback (so it is as a new one, and may be reused). */
  private static boolean onlyLoopback(TemporaryNamespace ns) {
    try {
      List<Link> links = ns.rtnl().links();
      return links.size() == 1 && links.get(0).name().value().equals("lo");
    } catch (NetlinkException | RuntimeException e) {
      return false; // not known to be empty: destroy it, as a fresh one would be
    }
  }

  private final class Lease implements TemporaryNamespace {
    private final TemporaryNamespace ns;
    private boolean closed;

    Lease(TemporaryNamespace ns) {
      this.ns = ns;
    }

    @Override
    public Path path() {
      return ns.path();
    }

    @Override
    public RtnlOperations rtnl() throws NetlinkException {
      return ns.rtnl();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (onlyLoopback(ns)) {
        synchronized (idle) {
          if (idle.size() < maxIdle) {
            idle.addFirst(ns);
            return;
          }
        }
      }
      ns.close();
    }

    @Override
    public String toString() {
      return "pooled " + ns;
    }
  }
}
