package io.sriov.netlink.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.port.DefaultRouteEvent;
import io.sriov.core.port.DefaultRouteEvent.Kind;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.RtMsg;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.testing.Captured;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default-route filter on notifications captured from a real kernel (see
 * captured/capture-route-events.py: {@code ip route add|del default via 192.0.2.1 dev rc0 metric
 * 100}, rc0 being ifindex 3) and on built ones for the cases a test namespace cannot easily
 * produce.
 */
class DefaultRouteDecoderTest {
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int RTN_UNICAST = 1;

  private static List<DefaultRouteEvent> decode(ByteBuffer b) throws MalformedMessageException {
    return DefaultRouteDecoder.decode(b);
  }

  /** One route notification as the kernel lays it out (rtmsg, then attributes). */
  private static byte[] route(int type, int family, int dstLen, int rtmTable, Object... attrs)
      throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(type, 0);
    new RtMsg(family, dstLen, 0, 0, rtmTable, Rtnetlink.RTPROT_BOOT, 0, RTN_UNICAST, 0).write(w);
    for (int i = 0; i < attrs.length; i += 2) {
      int attr = (Integer) attrs[i];
      Object v = attrs[i + 1];
      if (v instanceof Integer n) {
        w.attrU32(attr, n);
      } else {
        w.attrAddress(attr, InetAddress.getByName((String) v));
      }
    }
    return Captured.toBytes(w.finish(1));
  }

  private static byte[] defaultVia(int type, int oif) throws Exception {
    return route(
        type,
        AF_INET,
        0,
        Rtnetlink.RT_TABLE_MAIN,
        Rtnetlink.RTA_TABLE,
        Rtnetlink.RT_TABLE_MAIN,
        Rtnetlink.RTA_GATEWAY,
        "192.0.2.1",
        Rtnetlink.RTA_OIF,
        oif);
  }

  private static ByteBuffer datagram(byte[]... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] m : messages) {
      out.writeBytes(m);
    }
    return Captured.wrap(out.toByteArray());
  }

  @Test
  void capturedDefaultRouteAddAndDeleteAreReportedWithTheOutputInterface() throws Exception {
    assertThat(decode(Captured.buffer("event-newroute-default.bin")))
        .containsExactly(new DefaultRouteEvent(Kind.ADDED, List.of(3)));
    assertThat(decode(Captured.buffer("event-delroute-default.bin")))
        .containsExactly(new DefaultRouteEvent(Kind.REMOVED, List.of(3)));
  }

  @Test
  void capturedNonDefaultRouteIsNotReported() throws Exception {
    assertThat(decode(Captured.buffer("event-newroute-other.bin"))).isEmpty();
  }

  @Test
  void aRouteDumpWithoutDefaultRouteYieldsNothing() throws Exception {
    // Real RTM_NEWROUTE messages (connected and gateway routes) followed by NLMSG_DONE.
    assertThat(decode(Captured.buffer("dump-routes-v4.reply.bin"))).isEmpty();
  }

  @Test
  void defaultRoutesOfOtherTablesOrIpv6AreNotReported() throws Exception {
    byte[] otherTable =
        route(
            Rtnetlink.RTM_NEWROUTE,
            AF_INET,
            0,
            Rtnetlink.RT_TABLE_UNSPEC,
            Rtnetlink.RTA_TABLE,
            1000,
            Rtnetlink.RTA_OIF,
            3);
    byte[] localTable =
        route(Rtnetlink.RTM_NEWROUTE, AF_INET, 0, Rtnetlink.RT_TABLE_LOCAL, Rtnetlink.RTA_OIF, 3);
    byte[] ipv6 =
        route(
            Rtnetlink.RTM_NEWROUTE,
            AF_INET6,
            0,
            Rtnetlink.RT_TABLE_MAIN,
            Rtnetlink.RTA_GATEWAY,
            "2001:db8::1",
            Rtnetlink.RTA_OIF,
            3);
    assertThat(decode(datagram(otherTable, localTable, ipv6))).isEmpty();
  }

  @Test
  void rtmTableIsUsedWhenThereIsNoRtaTable() throws Exception {
    byte[] m =
        route(Rtnetlink.RTM_NEWROUTE, AF_INET, 0, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTA_OIF, 5);
    assertThat(decode(datagram(m))).containsExactly(new DefaultRouteEvent(Kind.ADDED, List.of(5)));
  }

  @Test
  void severalNotificationsInOneDatagramKeepKernelOrder() throws Exception {
    byte[] other =
        route(
            Rtnetlink.RTM_NEWROUTE,
            AF_INET,
            24,
            Rtnetlink.RT_TABLE_MAIN,
            Rtnetlink.RTA_DST,
            "198.51.100.0",
            Rtnetlink.RTA_OIF,
            3);
    assertThat(
            decode(
                datagram(
                    defaultVia(Rtnetlink.RTM_DELROUTE, 3),
                    other,
                    defaultVia(Rtnetlink.RTM_NEWROUTE, 8))))
        .containsExactly(
            new DefaultRouteEvent(Kind.REMOVED, List.of(3)),
            new DefaultRouteEvent(Kind.ADDED, List.of(8)));
  }

  @Test
  void otherMessageTypesAreIgnored() throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(Rtnetlink.RTM_NEWLINK, 0).zeros(16);
    assertThat(decode(datagram(Captured.toBytes(w.finish(1))))).isEmpty();
  }

  @Test
  void truncatedRtmsgIsMalformed() throws Exception {
    MessageWriter w = new MessageWriter();
    w.begin(Rtnetlink.RTM_NEWROUTE, 0).zeros(8);
    ByteBuffer b = datagram(Captured.toBytes(w.finish(1)));
    assertThatThrownBy(() -> decode(b))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: rtmsg at offset 16 needs 12 bytes, message has 8");
  }

  @Test
  void truncatedHeaderIsMalformed() throws Exception {
    byte[] m = Captured.bytes("event-newroute-default.bin");
    ByteBuffer b = Captured.wrap(java.util.Arrays.copyOf(m, 10));
    assertThatThrownBy(() -> decode(b))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: truncated nlmsghdr at offset 0: 10 of 16 bytes");
  }
}
