package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.socket.NetlinkSocket;
import io.sriov.netlink.testing.Kernel;
import io.sriov.os.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every link, address and route operation this kernel supports (veth, macvlan, bridge), run in a
 * throwaway named namespace through a socket bound to it, each checked with {@code ip -j}.
 */
class RtnlClientIT {
  static final NetnsExecutor EXEC = new NetnsExecutor();
  static NamedNetns named;
  static NetnsName name;
  static NetNamespace ns;
  static RtnlClient rtnl;
  static String n;

  @BeforeAll
  static void setUp() throws Exception {
    Kernel.require();
    named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, EXEC);
    name = NetnsName.of("sriovit-rtnl-" + NetlinkSocket.getpid());
    named.create(name);
    ns = named.open(name).orElseThrow();
    rtnl = RtnlClient.open(EXEC, ns);
    n = name.value();
    rtnl.setUp(1, true);
  }

  @AfterAll
  static void tearDown() throws Exception {
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

  private static Link veth(String a, String b) throws Exception {
    return rtnl.create(new LinkSpec.Veth(InterfaceName.of(a), InterfaceName.of(b)));
  }

  @Test
  void listsAndGetsLinksByIndexNameAndAltName() throws Exception {
    Link v = veth("lst0", "lst1");
    List<String> names = new ArrayList<>();
    for (Link l : rtnl.links()) {
      names.add(l.name().value());
    }
    List<String> ipNames = new ArrayList<>();
    Kernel.ip(n, "link", "show").forEach(j -> ipNames.add(j.get("ifname").asText()));
    assertThat(names).containsExactlyInAnyOrderElementsOf(ipNames).contains("lo", "lst0", "lst1");

    assertThat(rtnl.link(v.index()).orElseThrow().name().value()).isEqualTo("lst0");
    assertThat(rtnl.link("lst0").orElseThrow().index()).isEqualTo(v.index());
    assertThat(rtnl.link("nosuchlink0")).isEmpty();
    assertThat(rtnl.link(999_999)).isEmpty();

    rtnl.addAltName(v.index(), "a-very-long-alternative-name-for-lst0");
    assertThat(Kernel.link(n, "lst0").get("altnames").get(0).asText())
        .isEqualTo("a-very-long-alternative-name-for-lst0");
    assertThat(rtnl.link("a-very-long-alternative-name-for-lst0").orElseThrow().index())
        .isEqualTo(v.index());
    rtnl.deleteAltName(v.index(), "a-very-long-alternative-name-for-lst0");
    assertThat(Kernel.link(n, "lst0").has("altnames")).isFalse();
    rtnl.delete(v.index());
    assertThat(Kernel.ip(n, "link", "show"))
        .noneMatch(j -> j.get("ifname").asText().equals("lst0"));
  }

  @Test
  void setsUpDownMtuMacAndName() throws Exception {
    Link v = veth("set0", "set1");
    rtnl.setUp(v.index(), true);
    assertThat(Kernel.link(n, "set0").get("flags").toString()).contains("\"UP\"");
    rtnl.setMtu(v.index(), 1400);
    assertThat(Kernel.link(n, "set0").get("mtu").asInt()).isEqualTo(1400);
    MacAddress mac = MacAddress.parse("02:00:5e:10:20:30");
    rtnl.setMac(v.index(), mac);
    assertThat(Kernel.link(n, "set0").get("address").asText()).isEqualTo("02:00:5e:10:20:30");
    assertThat(rtnl.link(v.index()).orElseThrow().mac()).contains(mac);
    rtnl.setUp(v.index(), false);
    assertThat(Kernel.link(n, "set0").get("flags").toString()).doesNotContain("\"UP\"");
    rtnl.rename(v.index(), InterfaceName.of("renamed0"));
    assertThat(Kernel.link(n, "renamed0").get("ifindex").asInt()).isEqualTo(v.index());
    rtnl.delete(v.index());
  }

  @Test
  void carrierFollowsTheVethPeer() throws Exception {
    Link a = veth("car0", "car1");
    int peer = rtnl.link("car1").orElseThrow().index();
    rtnl.setUp(a.index(), true);
    rtnl.setUp(peer, true);
    Link up = rtnl.link(a.index()).orElseThrow();
    assertThat(up.carrier()).isTrue();
    assertThat(Kernel.link(n, "car0").get("operstate").asText()).isEqualTo(up.operState().name());
    rtnl.setUp(peer, false);
    assertThat(rtnl.link(a.index()).orElseThrow().carrier()).isFalse();
    rtnl.delete(a.index());
  }

  @Test
  void createsMacvlanAndBridgeAndSetsAndClearsMaster() throws Exception {
    Link v = veth("mst0", "mst1");
    Link mv =
        rtnl.create(new LinkSpec.Macvlan(InterfaceName.of("mv0"), v.index(), MacvlanMode.BRIDGE));
    JsonNode mvj = Kernel.link(n, "mv0");
    assertThat(mvj.get("linkinfo").get("info_kind").asText()).isEqualTo("macvlan");
    assertThat(mvj.get("linkinfo").get("info_data").get("mode").asText()).isEqualTo("bridge");
    assertThat(mv.parent()).hasValue(v.index());

    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("br0")));
    assertThat(Kernel.link(n, "br0").get("linkinfo").get("info_kind").asText()).isEqualTo("bridge");
    // mst0 carries the macvlan (the kernel refuses it as a bridge port: EBUSY); enslave its peer.
    assertThatThrownBy(() -> rtnl.setMaster(v.index(), br.index()))
        .isInstanceOf(ErrnoException.class)
        .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EBUSY));
    int peer = rtnl.link("mst1").orElseThrow().index();
    rtnl.setMaster(peer, br.index());
    assertThat(Kernel.link(n, "mst1").get("master").asText()).isEqualTo("br0");
    assertThat(rtnl.link(peer).orElseThrow().master()).hasValue(br.index());
    rtnl.clearMaster(peer);
    assertThat(Kernel.link(n, "mst1").has("master")).isFalse();
    rtnl.delete(mv.index());
    rtnl.delete(br.index());
    rtnl.delete(v.index());
  }

  @Test
  void movesALinkToAnotherNamespaceAndCreatesAPeerThere() throws Exception {
    NetnsName other = NetnsName.of(n + "-b");
    named.create(other);
    try (NetNamespace o = named.open(other).orElseThrow()) {
      Link v = veth("mov0", "mov1");
      rtnl.moveToNamespace(rtnl.link("mov1").orElseThrow().index(), o);
      assertThat(Kernel.ip(other.value(), "link", "show"))
          .anyMatch(j -> j.get("ifname").asText().equals("mov1"));
      assertThat(rtnl.link("mov1")).isEmpty();
      assertThat(rtnl.link(v.index()).orElseThrow().linkNetnsId()).isPresent();

      Link x =
          rtnl.create(
              new LinkSpec.Veth(
                  InterfaceName.of("cross0"),
                  InterfaceName.of("cross1"),
                  java.util.OptionalInt.of(o.fd())));
      assertThat(Kernel.ip(other.value(), "link", "show"))
          .anyMatch(j -> j.get("ifname").asText().equals("cross1"));
      rtnl.delete(x.index());
      rtnl.delete(v.index());
    } finally {
      named.delete(other);
    }
  }

  @Test
  void addsListsAndDeletesAddressesBothFamilies() throws Exception {
    Link v = veth("adr0", "adr1");
    rtnl.setUp(v.index(), true);
    rtnl.addAddress(v.index(), IpPrefix.parse("192.0.2.10/24"), false);
    rtnl.addAddress(v.index(), IpPrefix.parse("2001:db8:1::10/64"), true);
    List<String> ipAddrs = new ArrayList<>();
    Kernel.ip(n, "addr", "show", "dev", "adr0")
        .get(0)
        .get("addr_info")
        .forEach(a -> ipAddrs.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt()));
    assertThat(ipAddrs).contains("192.0.2.10/24", "2001:db8:1::10/64");
    JsonNode v4 = Kernel.ip(n, "-4", "addr", "show", "dev", "adr0").get(0).get("addr_info").get(0);
    assertThat(v4.get("broadcast").asText()).isEqualTo("192.0.2.255");
    assertThat(rtnl.addresses(v.index()))
        .extracting(a -> a.prefix().toString())
        .contains("192.0.2.10/24", "2001:db8:1:0:0:0:0:10/64");

    assertThatThrownBy(() -> rtnl.addAddress(v.index(), IpPrefix.parse("192.0.2.10/24"), false))
        .isInstanceOf(ErrnoException.class)
        .hasMessage(
            "RTM_NEWADDR 192.0.2.10/24 ifindex "
                + v.index()
                + ": EEXIST (File exists): ipv4: Address already assigned");

    rtnl.deleteAddress(v.index(), IpPrefix.parse("192.0.2.10/24"));
    rtnl.deleteAddress(v.index(), IpPrefix.parse("2001:db8:1::10/64"));
    assertThat(rtnl.addresses(v.index()))
        .extracting(a -> a.prefix().toString())
        .doesNotContain("192.0.2.10/24", "2001:db8:1:0:0:0:0:10/64");
    rtnl.delete(v.index());
  }

  @Test
  void addsListsAndDeletesRoutesBothFamilies() throws Exception {
    Link v = veth("rt0", "rt1");
    rtnl.setUp(v.index(), true);
    rtnl.setUp(rtnl.link("rt1").orElseThrow().index(), true);
    rtnl.addAddress(v.index(), IpPrefix.parse("198.51.100.2/24"), false);
    rtnl.addAddress(v.index(), IpPrefix.parse("2001:db8:2::2/64"), true);
    RouteSpec v4 =
        RouteSpec.via(
                IpPrefix.parse("203.0.113.0/24"), IpPrefix.parseAddress("198.51.100.1"), v.index())
            .withPriority(77);
    RouteSpec v6 =
        RouteSpec.via(
            IpPrefix.parse("2001:db8:99::/48"), IpPrefix.parseAddress("2001:db8:2::1"), v.index());
    RouteSpec onLink = RouteSpec.onLink(IpPrefix.parse("10.99.0.0/16"), v.index());
    rtnl.addRoute(v4);
    rtnl.addRoute(v6);
    rtnl.addRoute(onLink);

    JsonNode r4 = Kernel.ip(n, "-4", "route", "show", "203.0.113.0/24").get(0);
    assertThat(r4.get("gateway").asText()).isEqualTo("198.51.100.1");
    assertThat(r4.get("dev").asText()).isEqualTo("rt0");
    assertThat(r4.get("metric").asInt()).isEqualTo(77);
    JsonNode r6 = Kernel.ip(n, "-6", "route", "show", "2001:db8:99::/48").get(0);
    assertThat(r6.get("gateway").asText()).isEqualTo("2001:db8:2::1");
    assertThat(Kernel.ip(n, "-4", "route", "show", "10.99.0.0/16").get(0).get("scope").asText())
        .isEqualTo("link");

    assertThat(rtnl.routes(false, io.sriov.netlink.codec.Rtnetlink.RT_TABLE_MAIN))
        .extracting(r -> r.destination().toString())
        .contains("203.0.113.0/24", "10.99.0.0/16", "198.51.100.0/24");
    assertThat(rtnl.routes(true, io.sriov.netlink.codec.Rtnetlink.RT_TABLE_MAIN))
        .extracting(r -> r.destination().toString())
        .contains("2001:db8:99:0:0:0:0:0/48");

    rtnl.deleteRoute(v4);
    rtnl.deleteRoute(v6);
    rtnl.deleteRoute(onLink);
    assertThat(Kernel.ip(n, "-4", "route", "show", "203.0.113.0/24")).isEmpty();
    assertThat(Kernel.ip(n, "-6", "route", "show", "2001:db8:99::/48")).isEmpty();
    assertThatThrownBy(() -> rtnl.deleteRoute(v4))
        .isInstanceOf(ErrnoException.class)
        .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ESRCH));
    rtnl.delete(v.index());
  }

  @Test
  void kernelErrorsCarryErrnoAndExtendedAck() throws Exception {
    assertThatThrownBy(() -> veth("lo", "err1"))
        .isInstanceOf(ErrnoException.class)
        .hasMessage("RTM_NEWLINK lo type veth: EEXIST (File exists)");
    Link v = veth("err0", "err1");
    assertThatThrownBy(() -> rtnl.setMtu(v.index(), 10))
        .isInstanceOf(ErrnoException.class)
        .hasMessage(
            "RTM_SETLINK ifindex "
                + v.index()
                + " mtu 10: EINVAL (Invalid argument): mtu less than device minimum")
        .satisfies(
            e ->
                assertThat(((ErrnoException) e).extAck()).contains("mtu less than device minimum"));
    rtnl.delete(v.index());
    assertThatThrownBy(() -> rtnl.delete(999_999))
        .isInstanceOf(ErrnoException.class)
        .hasMessage("RTM_DELLINK ifindex 999999: ENODEV (No such device)");
    assertThatThrownBy(() -> rtnl.setMaster(1, 999_999))
        .isInstanceOf(ErrnoException.class)
        .satisfies(e -> assertThat(((ErrnoException) e).errno()).isIn(Errno.EINVAL, Errno.ENODEV));
  }

  @Test
  void askingForVfsOfALinkWithoutVfsGivesNone() throws Exception {
    Link v = veth("vf0", "vf1");
    assertThat(rtnl.vfs(v.index(), true)).isEmpty();
    rtnl.delete(v.index());
  }
}
