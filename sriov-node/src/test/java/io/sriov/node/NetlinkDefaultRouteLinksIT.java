package io.sriov.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.testing.IpCommand;
import io.sriov.core.testing.Prerequisites;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.route.RtnlClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The netlink-backed route source against the real kernel, in a throwaway network namespace with
 * two veths (dr0 on 192.0.2.2/24, dr1 on 198.51.100.2/24) and whatever routes each test adds.
 */
class NetlinkDefaultRouteLinksIT {
  private static final NetnsExecutor EXEC = new NetnsExecutor();

  private NamedNetns named;
  private NetnsName name;
  private NetNamespace ns;
  private RtnlClient rtnl;
  private DefaultRouteLinks source;

  @BeforeEach
  void setUp() throws Exception {
    Prerequisites.require(
        Prerequisites.isRoot(),
        "root and the real kernel's network namespaces",
        "not running as root");
    named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
    name = NetnsName.of("sriovit-dr-" + ProcessHandle.current().pid());
    named.create(name);
    ns = named.open(name).orElseThrow();
    for (String[] v : new String[][] {{"dr0", "192.0.2.2/24"}, {"dr1", "198.51.100.2/24"}}) {
      ip("link", "add", v[0], "type", "veth", "peer", "name", v[0] + "p");
      ip("addr", "add", v[1], "dev", v[0]);
      ip("link", "set", v[0], "up");
      ip("link", "set", v[0] + "p", "up");
    }
    rtnl = RtnlClient.open(EXEC, ns);
    source = new NetlinkDefaultRouteLinks(rtnl, rtnl);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (rtnl != null) {
      rtnl.close();
    }
    if (ns != null) {
      ns.close();
    }
    if (named != null) {
      named.delete(name);
    }
  }

  private void ip(String... args) throws Exception {
    IpCommand.ip(name.value(), args);
  }

  @Test
  void addressesAndSubnetRoutesAloneAreNoDefaultRoute() {
    assertThat(source.names()).isEmpty();
  }

  @Test
  void aNamespaceWithoutAnyIpv4RouteHasNoDefaultRouteRatherThanAnError() throws Exception {
    // No address, no route: the kernel has no main table yet and answers the dump with ENOENT.
    NetnsName bare = NetnsName.of("sriovit-bare-" + ProcessHandle.current().pid());
    named.create(bare);
    try (NetNamespace bareNs = named.open(bare).orElseThrow();
        RtnlClient bareRtnl = RtnlClient.open(EXEC, bareNs)) {
      assertThat(new NetlinkDefaultRouteLinks(bareRtnl, bareRtnl).names()).isEmpty();
    } finally {
      named.delete(bare);
    }
  }

  @Test
  void theDefaultRoutesDeviceIsReportedAndOnlyIt() throws Exception {
    ip("route", "add", "default", "via", "192.0.2.1", "dev", "dr0");
    assertThat(source.names()).containsExactly("dr0");
    ip("route", "del", "default", "via", "192.0.2.1", "dev", "dr0");
    assertThat(source.names()).isEmpty();
  }

  @Test
  void everyMetricCounts() throws Exception {
    ip("route", "add", "default", "via", "192.0.2.1", "dev", "dr0", "metric", "100");
    ip("route", "add", "default", "via", "198.51.100.1", "dev", "dr1", "metric", "200");
    assertThat(source.names()).containsExactlyInAnyOrder("dr0", "dr1");
  }

  @Test
  void everyNexthopOfAMultipathDefaultRouteCounts() throws Exception {
    ip(
        "route",
        "add",
        "default",
        "nexthop",
        "via",
        "192.0.2.1",
        "dev",
        "dr0",
        "nexthop",
        "via",
        "198.51.100.1",
        "dev",
        "dr1");
    assertThat(source.names()).containsExactlyInAnyOrder("dr0", "dr1");
  }

  @Test
  void otherTablesAndIpv6DefaultRoutesDoNotCount() throws Exception {
    ip("route", "add", "default", "via", "192.0.2.1", "dev", "dr0", "table", "100");
    ip("-6", "route", "add", "default", "dev", "dr1");
    ip("route", "add", "10.0.0.0/8", "via", "198.51.100.1", "dev", "dr1");
    assertThat(source.names()).isEmpty();
  }
}
