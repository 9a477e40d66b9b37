package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host's rtnetlink reused from open to open (read-only requests in the test process's own
 * namespace); any other namespace's opened each time.
 */
class KernelRtnlNamespacesIT {
  final NetnsExecutor exec = new NetnsExecutor();

  @BeforeEach
  void root() {
    Kernel.require();
  }

  @Test
  void theHostsSocketIsReusedAfterCloseAndOthersAreNot() throws Exception {
    KernelRtnlNamespaces ns =
        new KernelRtnlNamespaces(exec, KernelRtnlNamespaces.PROCESS_NAMESPACE);
    RtnlOperations first = ns.open(ns.hostNamespace());
    assertThat(first.link(1)).isPresent();
    first.close();
    first.close(); // twice: kept once
    assertThat(ns.idleHostSockets()).isEqualTo(1);
    RtnlOperations second = ns.open(ns.hostNamespace());
    assertThat(second).as("the same client, reused").isSameAs(first);
    assertThat(second.link(1).orElseThrow().name().value()).isEqualTo("lo");
    // in use at once: distinct clients; all given back, at most IDLE_HOST_SOCKETS kept
    List<RtnlOperations> held = new ArrayList<>();
    held.add(second);
    for (int i = 0; i < KernelRtnlNamespaces.IDLE_HOST_SOCKETS + 2; i++) {
      RtnlOperations o = ns.open(ns.hostNamespace());
      assertThat(held).doesNotContain(o);
      held.add(o);
    }
    for (RtnlOperations o : held) {
      assertThat(o.links()).isNotEmpty();
      o.close();
    }
    assertThat(ns.idleHostSockets()).isEqualTo(KernelRtnlNamespaces.IDLE_HOST_SOCKETS);

    NamedNetns named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, exec);
    NetnsName other = NetnsName.of("sriovit-reuse-" + NetlinkSocket.getpid());
    named.create(other);
    try {
      Path p = named.path(other);
      RtnlOperations a = ns.open(p);
      a.close();
      RtnlOperations b = ns.open(p);
      assertThat(b).as("not the host: a new socket").isNotSameAs(a);
      b.close();
      KernelRtnlNamespaces namedHost = new KernelRtnlNamespaces(exec, p);
      RtnlOperations c = namedHost.open(p);
      c.close();
      assertThat(namedHost.idleHostSockets())
          .as("a host that is not the process's own namespace: nothing kept")
          .isZero();
    } finally {
      named.delete(other);
    }
  }

  /**
   * Closing the process's namespaces closes the kept host sockets and keeps none given back later
   * (a call still running when the daemon shuts down); the object still serves that call.
   */
  @Test
  void closeDropsTheKeptHostSocketsAndKeepsNoneAfterwards() throws Exception {
    KernelRtnlNamespaces ns =
        new KernelRtnlNamespaces(new NetnsExecutor(), KernelRtnlNamespaces.PROCESS_NAMESPACE);
    RtnlOperations a = ns.open(ns.hostNamespace());
    RtnlOperations b = ns.open(ns.hostNamespace());
    a.close();
    assertThat(ns.idleHostSockets()).isEqualTo(1);
    ns.close();
    assertThat(ns.idleHostSockets()).as("the kept socket closed").isZero();
    assertThat(b.link(1)).as("a socket in use stays usable").isPresent();
    b.close();
    assertThat(ns.idleHostSockets()).as("given back after close: closed, not kept").isZero();
    RtnlOperations c = ns.open(ns.hostNamespace());
    assertThat(c).isNotSameAs(a).isNotSameAs(b);
    assertThat(c.link(1).orElseThrow().name().value()).isEqualTo("lo");
    c.close();
    assertThat(ns.idleHostSockets()).isZero();
    ns.close(); // idempotent
  }
}
