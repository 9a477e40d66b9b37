package io.sriov.netlink.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import io.sriov.os.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Named namespaces as iproute2 keeps them, checked with {@code ip netns}. */
class NamedNetnsIT {
  final NetnsExecutor exec = new NetnsExecutor();
  final NamedNetns named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, exec);
  final String prefix = "sriovit-ns-" + NetlinkSocket.getpid() + "-";

  @BeforeEach
  void root() {
    Kernel.require();
  }

  @Test
  void createListOpenDeleteLikeIpNetns() throws Exception {
    NetnsName name = NetnsName.of(prefix + "a");
    named.create(name);
    try {
      assertThat(Kernel.run("ip", "netns", "list")).contains(name.value());
      assertThat(named.list()).contains(name);
      // iproute2 sees the namespace as a real one: run a command inside it
      assertThat(Kernel.run("ip", "netns", "exec", name.value(), "ip", "-o", "link", "show"))
          .contains("lo:")
          .doesNotContain("eth0");
      assertThatThrownBy(() -> named.create(name))
          .isInstanceOf(ErrnoException.class)
          .hasMessage(
              "ip netns add " + name + " (/var/run/netns/" + name + "): EEXIST (File exists)");
    } finally {
      assertThat(named.delete(name)).isTrue();
    }
    assertThat(Kernel.run("ip", "netns", "list")).doesNotContain(name.value());
    assertThat(named.delete(name)).as("deleting again is a no-op").isFalse();
    assertThat(named.open(name)).isEmpty();
  }

  @Test
  void namespaceCreatedByIpIsUsableHere() throws Exception {
    String name = prefix + "ip";
    Kernel.run("ip", "netns", "add", name);
    try (NetNamespace ns = named.open(NetnsName.of(name)).orElseThrow();
        RtnlClient rtnl = RtnlClient.open(exec, ns)) {
      assertThat(rtnl.links()).extracting(l -> l.name().value()).containsExactly("lo");
    } finally {
      Kernel.run("ip", "netns", "del", name);
    }
  }

  /**
   * A held thread: inside the namespace for every task handed to it later, the same thread each
   * time, the caller's own thread untouched; ended by close, after which it takes no task; a
   * namespace it cannot enter fails its tasks with the errno; one left idle ends by itself.
   */
  @Test
  void aHeldThreadRunsLaterTasksInsideUntilClosed() throws Exception {
    NetnsName name = NetnsName.of(prefix + "h");
    named.create(name);
    try {
      String hostNs = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
      String inside;
      try (NetNamespace ns = named.open(name).orElseThrow()) {
        inside =
            exec.run(ns, () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")))
                .toString();
      }
      assertThat(inside).isNotEqualTo(hostNs);
      NetnsExecutor.Held held =
          exec.hold(named.open(name).orElseThrow(), java.time.Duration.ofSeconds(30));
      Thread[] threads = new Thread[2];
      String first =
          held.run(
              () -> {
                threads[0] = Thread.currentThread();
                return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
              });
      String second =
          held.run(
              () -> {
                threads[1] = Thread.currentThread();
                return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
              });
      assertThat(first).isEqualTo(inside);
      assertThat(second).isEqualTo(inside);
      assertThat(threads[1]).isSameAs(threads[0]).isNotSameAs(Thread.currentThread());
      assertThat(threads[0].isVirtual()).isFalse();
      assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString())
          .isEqualTo(hostNs);
      assertThatThrownBy(
              () ->
                  held.run(
                      () -> {
                        throw new ErrnoException("from the task", Errno.EPERM);
                      }))
          .hasMessage("from the task: EPERM (Operation not permitted)");
      held.close();
      threads[0].join(5000);
      assertThat(threads[0].isAlive()).as("ended by close").isFalse();
      assertThatThrownBy(() -> held.run(() -> "late"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageEndingWith("ended (closed or idle too long)");

      NetnsExecutor.Held idle =
          exec.hold(named.open(name).orElseThrow(), java.time.Duration.ofMillis(50));
      Thread[] t = new Thread[1];
      idle.run(() -> t[0] = Thread.currentThread());
      t[0].join(5000);
      assertThat(t[0].isAlive()).as("idle past its limit: ended").isFalse();
      assertThatThrownBy(() -> idle.run(() -> "late")).isInstanceOf(IllegalStateException.class);
      idle.close();
    } finally {
      named.delete(name);
    }
    // an fd a fresh thread (a new executor: no spare yet) cannot enter as a network namespace
    NetnsExecutor fresh = new NetnsExecutor();
    assertThat(fresh.spares()).isZero();
    assertAHeldUtsNamespaceFailsWithEinval(fresh);
    fresh.closeSpares();
  }

  /** A hold of an fd that is no network namespace (a UTS one): its tasks fail with the errno. */
  private static void assertAHeldUtsNamespaceFailsWithEinval(NetnsExecutor exec) throws Exception {
    NetnsExecutor.Held broken =
        exec.hold(NetNamespace.open(Path.of("/proc/self/ns/uts")), java.time.Duration.ofSeconds(5));
    assertThatThrownBy(() -> broken.run(() -> "never"))
        .isInstanceOf(ErrnoException.class)
        .hasMessageContaining("EINVAL");
    broken.close();
  }

  /**
   * The next hold after one takes the spare that one started (a thread that never ran a task),
   * inside its own namespace only; the spare's thread ends with its visit, another spare waits
   * (never more than {@link NetnsExecutor#SPARES}); a spare handed a namespace it cannot enter
   * fails its tasks with the errno as a fresh thread does; {@code closeSpares} ends the waiting
   * ones.
   */
  @Test
  void aHoldTakesASpareStartedAheadThatServesOnlyItsNamespace() throws Exception {
    NetnsExecutor own = new NetnsExecutor();
    List<Thread> before = spareThreads(); // other executors' spares (their idle limit is long)
    NetnsName a = NetnsName.of(prefix + "sa");
    NetnsName b = NetnsName.of(prefix + "sb");
    named.create(a);
    named.create(b);
    try {
      Thread[] t = new Thread[3];
      String[] seen = new String[3];
      NetnsName[] order = {a, b, a};
      for (int i = 0; i < 3; i++) {
        int k = i;
        try (NetNamespace ns = named.open(order[i]).orElseThrow()) {
          String want = "net:[" + Files.getAttribute(ns.path(), "unix:ino") + "]";
          NetnsExecutor.Held held =
              own.hold(named.open(order[i]).orElseThrow(), java.time.Duration.ofSeconds(30));
          seen[k] =
              held.run(
                  () -> {
                    t[k] = Thread.currentThread();
                    return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
                  });
          assertThat(seen[k]).isEqualTo(want);
          assertThat(t[k].getName()).startsWith("netns-held-");
          held.close();
        }
        t[k].join(5000);
        assertThat(t[k].isAlive()).as("the visit's thread ends with it").isFalse();
        awaitSpares(own, 1);
      }
      assertThat(t[1]).isNotSameAs(t[0]);
      assertThat(t[2]).isNotSameAs(t[0]).isNotSameAs(t[1]);
      assertThat(spareThreads()).as("at most one spare waits").hasSize(before.size() + 1);
    } finally {
      named.delete(a);
      named.delete(b);
    }
    // the waiting spare handed a UTS namespace: the same EINVAL as a fresh thread's
    assertThat(own.spares()).isEqualTo(1);
    assertAHeldUtsNamespaceFailsWithEinval(own);
    awaitSpares(own, 1);
    own.closeSpares();
    long until = System.nanoTime() + 5_000_000_000L;
    while (spareThreads().size() > before.size() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(spareThreads()).as("closeSpares ends the waiting spare").isEqualTo(before);
    assertThat(own.spares()).isZero();
  }

  /**
   * An executor for one call (the standalone plugins) starts no spare: its holds run on fresh
   * threads in their namespace, and none is left waiting after them.
   */
  @Test
  void anExecutorWithoutSparesHoldsOnFreshThreadsAndLeavesNoneWaiting() throws Exception {
    NetnsExecutor once = NetnsExecutor.withoutSpares();
    NetnsName a = NetnsName.of(prefix + "ws");
    named.create(a);
    try (NetNamespace ns = named.open(a).orElseThrow()) {
      String want = "net:[" + Files.getAttribute(ns.path(), "unix:ino") + "]";
      for (int i = 0; i < 2; i++) {
        NetnsExecutor.Held held =
            once.hold(named.open(a).orElseThrow(), java.time.Duration.ofSeconds(30));
        Thread[] t = new Thread[1];
        String seen =
            held.run(
                () -> {
                  t[0] = Thread.currentThread();
                  return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
                });
        assertThat(seen).isEqualTo(want);
        held.close();
        t[0].join(5000);
        assertThat(t[0].isAlive()).isFalse();
        // a held thread offers its spare before it enters, so by the task's answer it would wait
        assertThat(once.spares()).as("no spare after hold %d", i + 1).isZero();
      }
    } finally {
      named.delete(a);
    }
  }

  private static void awaitSpares(NetnsExecutor exec, int n) throws InterruptedException {
    long until = System.nanoTime() + 5_000_000_000L;
    while (exec.spares() != n && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(exec.spares()).isEqualTo(n);
  }

  private static List<Thread> spareThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(th -> th.getName().startsWith("netns-spare-") && th.isAlive())
        .toList();
  }

  @Test
  void tasksRunInsideOnAPlatformThreadAndLeaveTheCallerAlone() throws Exception {
    NetnsName name = NetnsName.of(prefix + "t");
    named.create(name);
    try (NetNamespace ns = named.open(name).orElseThrow()) {
      String hostNs = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
      String[] seen = new String[2];
      List<Link> inside =
          exec.run(
              ns,
              () -> {
                seen[0] = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
                seen[1] = Thread.currentThread().isVirtual() ? "virtual" : "platform";
                try (RtnlClient c = RtnlClient.open()) {
                  return c.links();
                }
              });
      assertThat(inside).extracting(l -> l.name().value()).containsExactly("lo");
      assertThat(seen[0]).isNotEqualTo(hostNs);
      // the bind-mounted file's inode is the namespace's inode
      assertThat(seen[0]).isEqualTo("net:[" + Files.getAttribute(ns.path(), "unix:ino") + "]");
      assertThat(seen[1]).isEqualTo("platform");
      assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString())
          .isEqualTo(hostNs);

      // a socket opened inside stays bound to the namespace
      try (NetlinkSocket s = exec.openSocket(ns, Netlink.NETLINK_ROUTE, 0);
          RtnlClient c = new RtnlClient(s)) {
        assertThat(c.links()).extracting(l -> l.name().value()).containsExactly("lo");
      }
      assertThatThrownBy(
              () ->
                  exec.run(
                      ns,
                      () -> {
                        throw new java.io.IOException("boom");
                      }))
          .isInstanceOf(NetnsTaskException.class)
          .hasMessageEndingWith("failed: java.io.IOException: boom");
    } finally {
      named.delete(name);
    }
  }

  @Test
  void aTaskForTheCallersOwnNamespaceRunsOnTheCallingThread() throws Exception {
    NetnsName name = NetnsName.of(prefix + "own");
    named.create(name);
    try (NetNamespace own = NetNamespace.open(Path.of("/proc/self/ns/net"));
        NetNamespace other = named.open(name).orElseThrow()) {
      Thread caller = Thread.currentThread();
      assertThat(exec.run(own, Thread::currentThread)).isSameAs(caller);
      // inside a namespace thread, a task for that same namespace stays on it; the host's does not
      Thread[] seen =
          exec.run(
              other,
              () -> {
                Thread inside = Thread.currentThread();
                return new Thread[] {
                  inside,
                  exec.run(other, Thread::currentThread),
                  exec.run(own, Thread::currentThread)
                };
              });
      assertThat(seen[0]).isNotSameAs(caller);
      assertThat(seen[1]).isSameAs(seen[0]);
      assertThat(seen[2]).isNotSameAs(seen[0]).isNotSameAs(caller);
      // failures read the same as from a namespace thread
      assertThatThrownBy(
              () ->
                  exec.run(
                      own,
                      () -> {
                        throw new java.io.IOException("boom");
                      }))
          .isInstanceOf(NetnsTaskException.class)
          .hasMessageEndingWith("failed: java.io.IOException: boom");
    } finally {
      named.delete(name);
    }
  }

  @Test
  void whetherANamespaceFileExists() throws Exception {
    NetnsName name = NetnsName.of(prefix + "ex");
    named.create(name);
    KernelRtnlNamespaces namespaces = KernelRtnlNamespaces.system();
    try {
      assertThat(namespaces.exists(named.path(name))).isTrue();
      assertThat(namespaces.exists(Path.of("/proc/self/ns/net"))).isTrue();
      assertThat(namespaces.exists(Path.of("/proc/self/status"))).as("not a namespace").isFalse();
      assertThat(namespaces.exists(Path.of("/proc/self/ns/net/missing"))).isFalse();
    } finally {
      named.delete(name);
    }
    assertThat(namespaces.exists(named.path(name))).as("deleted").isFalse();
  }

  @Test
  void openByProcessPathAndBadPaths() throws Exception {
    try (NetNamespace self = NetNamespace.ofProcess(Path.of("/proc"), NetlinkSocket.getpid())) {
      assertThat(self.fd()).isPositive();
    }
    assertThatThrownBy(() -> NetNamespace.open(Path.of("/var/run/netns/" + prefix + "missing")))
        .isInstanceOf(ErrnoException.class)
        .hasMessage(
            "open netns /var/run/netns/" + prefix + "missing: ENOENT (No such file or directory)")
        .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ENOENT));
    // a file that is not a namespace: setns refuses it
    try (NetNamespace notNs = NetNamespace.open(Path.of("/proc/self/status"))) {
      assertThatThrownBy(() -> exec.run(notNs, () -> 1))
          .isInstanceOf(ErrnoException.class)
          .hasMessage("setns /proc/self/status: EINVAL (Invalid argument)");
    }
  }
}
