package io.sriov.simulator.netlink;

import io.sriov.core.testing.Prerequisites;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.route.KernelRtnlNamespaces;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.socket.NetlinkSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * The rtnetlink contract on the real kernel: {@link KernelRtnlNamespaces} and {@code RtnlClient} in
 * throwaway named namespaces ({@code /var/run/netns/sriovct-PID-N}). Needs root.
 */
class KernelRtnlContractIT extends RtnlContract {
  private static final NetnsExecutor EXEC = new NetnsExecutor();
  private static final NamedNetns NAMED = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final KernelRtnlNamespaces namespaces =
      new KernelRtnlNamespaces(EXEC, KernelRtnlNamespaces.PROCESS_NAMESPACE);

  @BeforeAll
  static void requireRootAndNetlink() {
    String why =
        NetlinkSocket.unavailableReason()
            .orElse(Prerequisites.isRoot() ? "" : "not running as root");
    Prerequisites.require(
        why.isEmpty(), "root and the real kernel's netlink and network namespaces", why);
  }

  @Override
  protected RtnlNamespaces namespaces() {
    return namespaces;
  }

  @Override
  protected Path createNamespace(String suffix) throws Exception {
    NetnsName name =
        NetnsName.of(
            "sriovct-" + NetlinkSocket.getpid() + "-" + COUNTER.incrementAndGet() + suffix);
    NAMED.create(name);
    return NAMED.path(name);
  }

  @Override
  protected void deleteNamespace(Path namespace) throws Exception {
    NAMED.delete(NetnsName.of(namespace.getFileName().toString()));
  }
}
