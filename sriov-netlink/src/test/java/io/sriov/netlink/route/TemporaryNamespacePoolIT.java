package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.value.InterfaceName;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reused temporary namespaces on the real kernel (root), with a throwaway named namespace as
 * the "host": an empty namespace comes back, one still holding a link is destroyed (its veth goes
 * with it) and never handed out again, and no more than {@code maxIdle} are kept.
 */
class TemporaryNamespacePoolIT {
  private static final NetnsExecutor EXEC = new NetnsExecutor();
  private static final NamedNetns NAMED = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);

  private NetnsName hostName;
  private Path host;

  @BeforeEach
  void host() throws Exception {
    Kernel.require();
    hostName = NetnsName.of("sriovit-pool-" + NetlinkSocket.getpid());
    NAMED.create(hostName);
    host = NAMED.path(hostName);
  }

  @AfterEach
  void delete() throws Exception {
    NAMED.delete(hostName);
  }

  @Test
  void anEmptyNamespaceIsReusedAndOneHoldingALinkIsDestroyed() throws Exception {
    TemporaryNamespacePool pool =
        new TemporaryNamespacePool(new KernelRtnlNamespaces(EXEC, host), 4);
    Object first;
    try (TemporaryNamespace t = pool.createTemporary()) {
      first = inode(t.path());
      assertThat(t.rtnl().links()).extracting(l -> l.name().value()).containsExactly("lo");
    }
    assertThat(pool.idle()).isEqualTo(1);
    try (RtnlOperations h = pool.open(host);
        TemporaryNamespace t = pool.createTemporary()) {
      assertThat(inode(t.path())).as("the same namespace again").isEqualTo(first);
      assertThat(pool.idle()).isZero();
      h.create(new LinkSpec.Veth(InterfaceName.of("pool0"), InterfaceName.of("pool1")));
      h.moveToNamespace(h.link("pool1").orElseThrow().index(), t.path());
      assertThat(t.rtnl().link("pool1")).isPresent();
      t.close();
      assertThat(pool.idle()).as("not empty: destroyed, not kept").isZero();
      // the kernel deletes the veth end with its namespace, and so the pair (asynchronously)
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (h.link("pool0").isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(h.link("pool0")).isEmpty();
    }
    try (TemporaryNamespace t = pool.createTemporary()) {
      assertThat(inode(t.path())).as("a new one").isNotEqualTo(first);
    }
  }

  @Test
  void keepsAtMostMaxIdle() throws Exception {
    TemporaryNamespacePool pool =
        new TemporaryNamespacePool(new KernelRtnlNamespaces(EXEC, host), 1);
    TemporaryNamespace a = pool.createTemporary();
    TemporaryNamespace b = pool.createTemporary();
    Object kept = inode(a.path());
    assertThat(inode(b.path())).isNotEqualTo(kept);
    a.close();
    b.close();
    b.close(); // idempotent
    assertThat(pool.idle()).isEqualTo(1);
    try (TemporaryNamespace c = pool.createTemporary()) {
      assertThat(inode(c.path())).isEqualTo(kept);
    }
    pool.clear();
    assertThat(pool.idle()).isZero();
  }

  /** The namespace's identity (a path /proc/PID/fd/N may name another one after a close). */
  private static Object inode(Path ns) throws Exception {
    return Files.getAttribute(ns, "unix:ino");
  }
}
