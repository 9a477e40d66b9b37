package io.sriov.netlink.route;

import io.sriov.netlink.NetlinkException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * rtnetlink in any network namespace of the node, each named by the path of its namespace file
 * ({@code /var/run/netns/NAME}, a CNI runtime's {@code CNI_NETNS}, {@code /proc/PID/ns/net}), the
 * way {@code ip -n NAME ...} and {@code nsenter --net=PATH ip ...} reach it. Code that moves a
 * netdev into a pod and configures it there (the CNI plugins) is written once against this port and
 * {@link RtnlOperations}: {@link KernelRtnlNamespaces} is the kernel's, the simulated node has its
 * own.
 */
public interface RtnlNamespaces {

  /**
   * The node's own namespace, where PFs and unassigned VF netdevs live; pass it to {@link
   * LinkOperations#moveToNamespace(int, Path)} to give a netdev back to the host.
   */
  Path hostNamespace();

  /**
   * Opens rtnetlink bound to the namespace at {@code namespace}; the caller closes it. Fails with
   * {@code open netns PATH: ENOENT (No such file or directory)} when there is no such namespace.
   */
  RtnlOperations open(Path namespace) throws NetlinkException;

  /**
   * Whether a namespace file at {@code namespace} opens now (a pod's namespace still alive, as
   * upstream's {@code ns.GetNS} tells). This default opens rtnetlink there; {@link
   * KernelRtnlNamespaces} only opens the file, checks it is a namespace (nsfs) and closes it.
   */
  default boolean exists(Path namespace) {
    try (RtnlOperations ignored = open(namespace)) {
      return true;
    } catch (NetlinkException e) {
      return false;
    }
  }

  /**
   * Begins a {@link NamespaceVisit} of {@code namespace}. This default opens rtnetlink when asked
   * and has no thread inside; {@link KernelRtnlNamespaces} starts one at once.
   */
  default NamespaceVisit visit(Path namespace) {
    return new NamespaceVisit() {
      @Override
      public Path namespace() {
        return namespace;
      }

      @Override
      public RtnlOperations rtnl() throws NetlinkException {
        return open(namespace);
      }

      @Override
      public <T> T run(io.sriov.netlink.netns.NetnsExecutor.Task<T> task) {
        throw new UnsupportedOperationException("no thread inside " + namespace + " here");
      }

      @Override
      public void close() {}
    };
  }

  /** Work with rtnetlink inside each namespace of {@link #inEach}. */
  interface Visitor {
    /** Called with rtnetlink bound to {@code namespace}; closed after. */
    void inside(Path namespace, RtnlOperations rtnl) throws NetlinkException;

    /** {@code namespace} could not be opened, or {@link #inside} failed there. */
    void failed(Path namespace, NetlinkException e);
  }

  /**
   * Visits {@code namespaces} one after another with rtnetlink bound to each (as {@code ip -n NAME
   * link show} for each), until {@code budget} is spent; returns those not reached (the caller says
   * they were left out). One namespace's failure goes to {@link Visitor#failed} and the walk goes
   * on. This default opens each with {@link #open} on the calling thread; {@link
   * KernelRtnlNamespaces} walks them on one namespace thread.
   */
  default List<Path> inEach(List<Path> namespaces, Duration budget, Visitor visitor) {
    return walk(namespaces, budget, this::open, visitor);
  }

  /** Opens rtnetlink in one namespace for {@link #walk}. */
  @FunctionalInterface
  interface Opener {
    RtnlOperations open(Path namespace) throws NetlinkException;
  }

  /** The loop of {@link #inEach}: one place that keeps the budget and reports each namespace. */
  static List<Path> walk(List<Path> namespaces, Duration budget, Opener opener, Visitor visitor) {
    long deadline = System.nanoTime() + budget.toNanos();
    List<Path> late = new ArrayList<>();
    for (Path ns : namespaces) {
      if (System.nanoTime() - deadline >= 0) {
        late.add(ns);
        continue;
      }
      try (RtnlOperations rtnl = opener.open(ns)) {
        visitor.inside(ns, rtnl);
      } catch (NetlinkException e) {
        visitor.failed(ns, e);
      }
    }
    return late;
  }

  /**
   * Asks the host namespace's rtnetlink for its loopback link (ifindex 1) on a fresh socket, as
   * {@code ip link show lo} does: succeeds when rtnetlink can be reached (a plugin's STATUS).
   */
  default void probeHost() throws NetlinkException {
    try (RtnlOperations host = open(hostNamespace())) {
      host.link(1);
    }
  }
}
