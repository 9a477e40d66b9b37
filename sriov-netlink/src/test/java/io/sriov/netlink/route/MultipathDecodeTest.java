package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.AttributeReader;
import io.sriov.netlink.codec.Rtnetlink;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * RTA_MULTIPATH as the kernel lays it out for {@code ip route add default nexthop via 192.0.2.1 dev
 * X nexthop dev Y}: struct rtnexthop, its own attributes, next one 4-aligned.
 */
class MultipathDecodeTest {

  /** nlattr RTA_MULTIPATH holding the given rtnexthop bytes. */
  private static AttributeReader multipath(byte[] payload) throws MalformedMessageException {
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.nativeOrder());
    b.putShort((short) (4 + payload.length)).putShort((short) Rtnetlink.RTA_MULTIPATH).put(payload);
    AttributeReader a = new AttributeReader(b, 0, b.capacity());
    assertThat(a.next()).isTrue();
    return a;
  }

  private static byte[] twoNexthops() {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
    // nexthop 1: len 16, flags 0, hops 0, ifindex 3, RTA_GATEWAY 192.0.2.1
    b.putShort((short) 16).put((byte) 0).put((byte) 0).putInt(3);
    b.putShort((short) 8)
        .putShort((short) Rtnetlink.RTA_GATEWAY)
        .put(new byte[] {(byte) 192, 0, 2, 1});
    // nexthop 2: len 8, ifindex 7, no gateway
    b.putShort((short) 8).put((byte) 0).put((byte) 1).putInt(7);
    return b.array();
  }

  @Test
  void decodesEachNexthopsInterfaceAndGateway() throws Exception {
    List<Route.Nexthop> hops = RtnlDecoders.nexthops(multipath(twoNexthops()));
    assertThat(hops)
        .containsExactly(
            new Route.Nexthop(3, Optional.of(InetAddress.getByName("192.0.2.1"))),
            new Route.Nexthop(7, Optional.empty()));
  }

  @Test
  void outputIndexesJoinOifAndNexthops() throws Exception {
    Route r =
        new Route(
            IpPrefix.parse("0.0.0.0/0"),
            Optional.empty(),
            OptionalInt.empty(),
            254,
            3,
            0,
            1,
            OptionalInt.empty(),
            Optional.empty(),
            RtnlDecoders.nexthops(multipath(twoNexthops())));
    assertThat(r.outputIndexes()).containsExactly(3, 7);
    assertThat(
            new Route(
                    IpPrefix.parse("0.0.0.0/0"),
                    Optional.empty(),
                    OptionalInt.of(5),
                    254,
                    3,
                    0,
                    1,
                    OptionalInt.empty(),
                    Optional.empty())
                .outputIndexes())
        .containsExactly(5);
  }

  @Test
  void nexthopLongerThanTheAttributeIsMalformed() throws Exception {
    byte[] p = twoNexthops();
    ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).putShort(16, (short) 40);
    AttributeReader a = multipath(p);
    assertThatThrownBy(() -> RtnlDecoders.nexthops(a))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: RTA_MULTIPATH: rtnh_len 40 at offset 20 must be between 8 and the 8 bytes left");
  }

  @Test
  void nexthopShorterThanItsHeaderIsMalformed() throws Exception {
    byte[] p = twoNexthops();
    ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).putShort(0, (short) 4);
    AttributeReader a = multipath(p);
    assertThatThrownBy(() -> RtnlDecoders.nexthops(a))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(
            "malformed netlink message: RTA_MULTIPATH: rtnh_len 4 at offset 4 must be between 8 and the 24 bytes left");
  }
}
