package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.OperState;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.devlink.GenericNetlink;
import io.sriov.netlink.devlink.GenlFamily;
import io.sriov.netlink.testing.Captured;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Decodes replies captured from this machine's kernel (6.18) by {@code CaptureKernelReplies}: a
 * namespace with veth cap0/cap1 (cap0 mtu 1400 with a long altname, cap1 in bridge capbr0), macvlan
 * capmv0 on cap0, 198.51.100.7/24 and 2001:db8::7/64 on cap0, a route to 203.0.113.0/24 via
 * 198.51.100.1 metric 50.
 */
class CapturedRepliesTest {

  interface Dec<T> {
    T decode(MessageReader m) throws Exception;
  }

  static <T> List<T> decodeAll(String file, Dec<T> d) throws Exception {
    MessageReader m = new MessageReader(Captured.buffer(file));
    List<T> out = new ArrayList<>();
    while (m.next()) {
      T v = d.decode(m);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  @Test
  void getLinkReplyOfAVeth() throws Exception {
    Link l = decodeAll("getlink-cap0.reply.bin", RtnlDecoders::link).getFirst();
    assertThat(l.name().value()).isEqualTo("cap0");
    assertThat(l.kind()).contains("veth");
    assertThat(l.mtu()).isEqualTo(1400);
    assertThat(l.altNames()).containsExactly("capture-veth-with-a-long-alternative-name");
    assertThat(l.isUp()).isTrue();
    assertThat(l.mac()).isPresent();
    assertThat(l.vfs()).isEmpty();
    assertThat(l.parent()).isPresent();
  }

  @Test
  void getLinkReplyCarriesTheLinksOwnCounters() throws Exception {
    // IFLA_STATS64 (200 bytes on 6.18: 25 counters) even with RTEXT_FILTER_SKIP_STATS, which
    // drops only the per-VF statistics; the capture pinged once over the veth (ARP + ICMP)
    Link l = decodeAll("getlink-cap0.reply.bin", RtnlDecoders::link).getFirst();
    assertThat(l.stats()).contains(new LinkStats(1, 2, 90, 200, 0, 0, 0, 0));
    Map<String, LinkStats> byName =
        decodeAll("dump-links.reply.bin", RtnlDecoders::link).stream()
            .collect(Collectors.toMap(x -> x.name().value(), x -> x.stats().orElseThrow()));
    assertThat(byName.get("cap1")).isEqualTo(new LinkStats(2, 1, 200, 90, 0, 0, 0, 0));
    assertThat(byName.get("lo")).isEqualTo(LinkStats.ZERO);
  }

  @Test
  void linkDumpDecodesEveryKind() throws Exception {
    Map<String, Link> byName =
        decodeAll("dump-links.reply.bin", RtnlDecoders::link).stream()
            .collect(Collectors.toMap(l -> l.name().value(), Function.identity()));
    assertThat(byName).containsOnlyKeys("lo", "cap0", "cap1", "capbr0", "capmv0");
    assertThat(byName.get("lo").operState()).isEqualTo(OperState.UNKNOWN);
    assertThat(byName.get("capbr0").kind()).contains("bridge");
    assertThat(byName.get("cap1").master()).hasValue(byName.get("capbr0").index());
    assertThat(byName.get("capmv0").kind()).contains("macvlan");
    assertThat(byName.get("capmv0").parent()).hasValue(byName.get("cap0").index());
    assertThat(byName.get("cap0").carrier()).isTrue();
  }

  @Test
  void addressDumpHasBothFamilies() throws Exception {
    List<String> addrs =
        decodeAll("dump-addresses.reply.bin", RtnlDecoders::address).stream()
            .map(a -> a.prefix().toString())
            .toList();
    assertThat(addrs).contains("127.0.0.1/8", "198.51.100.7/24", "2001:db8:0:0:0:0:0:7/64");
    Address v6 =
        decodeAll("dump-addresses.reply.bin", RtnlDecoders::address).stream()
            .filter(a -> a.prefix().toString().startsWith("2001:db8"))
            .findFirst()
            .orElseThrow();
    assertThat(v6.flags() & io.sriov.netlink.codec.IfAddr.IFA_F_NODAD)
        .isEqualTo(io.sriov.netlink.codec.IfAddr.IFA_F_NODAD);
  }

  @Test
  void routeDumpHasTheGatewayRoute() throws Exception {
    List<Route> routes = decodeAll("dump-routes-v4.reply.bin", RtnlDecoders::route);
    Route via =
        routes.stream()
            .filter(r -> r.destination().toString().equals("203.0.113.0/24"))
            .findFirst()
            .orElseThrow();
    assertThat(via.gateway().orElseThrow().getHostAddress()).isEqualTo("198.51.100.1");
    assertThat(via.priority()).hasValue(50);
    assertThat(via.table()).isEqualTo(Rtnetlink.RT_TABLE_MAIN);
    assertThat(via.protocol()).isEqualTo(Rtnetlink.RTPROT_BOOT);
    assertThat(decodeAll("dump-routes-v6.reply.bin", RtnlDecoders::route))
        .extracting(r -> r.destination().toString())
        .contains("2001:db8:0:0:0:0:0:0/64");
  }

  /**
   * The two link events {@code CaptureKernelReplies} records: {@code ip link set cap1 down} (cap1
   * is ifindex 2, a veth enslaved to the bridge capbr0, ifindex 4, peer cap0 ifindex 3) and {@code
   * ip link del capmv0} (ifindex 5, a macvlan on cap0). Values as the kernel sent them.
   */
  @Test
  void linkEventsDecode() throws Exception {
    Link down = decodeAll("event-link-down.bin", RtnlDecoders::link).getFirst();
    assertThat(decodeAll("event-link-down.bin", RtnlDecoders::link)).hasSize(1);
    assertThat(down.index()).isEqualTo(2);
    assertThat(down.name().value()).isEqualTo("cap1");
    assertThat(down.kind()).contains("veth");
    assertThat(down.isUp()).isFalse();
    assertThat(down.operState()).isEqualTo(OperState.DOWN);
    assertThat(down.carrier()).isFalse();
    assertThat(down.mtu()).isEqualTo(1500);
    assertThat(down.mac()).contains(MacAddress.parse("fe:bd:55:01:54:04"));
    assertThat(down.master()).hasValue(4);
    assertThat(down.parent()).hasValue(3);

    List<Link> del = decodeAll("event-dellink.bin", RtnlDecoders::link);
    assertThat(del).hasSize(1);
    Link gone = del.getFirst();
    assertThat(gone.index()).isEqualTo(5);
    assertThat(gone.name().value()).isEqualTo("capmv0");
    assertThat(gone.kind()).contains("macvlan");
    assertThat(gone.operState()).isEqualTo(OperState.DOWN);
    assertThat(gone.carrier()).isFalse();
    assertThat(gone.mtu()).isEqualTo(1400);
    assertThat(gone.mac()).contains(MacAddress.parse("5e:5a:9d:56:8f:47"));
    assertThat(gone.master()).isEmpty();
    assertThat(gone.parent()).hasValue(3);
  }

  @Test
  void genericNetlinkFamilyReply() throws Exception {
    GenlFamily f =
        decodeAll("genl-getfamily-nlctrl.reply.bin", GenericNetlink::decodeFamily).getFirst();
    assertThat(f.id()).isEqualTo(0x10);
    assertThat(f.name()).isEqualTo("nlctrl");
  }
}
