package io.sriov.netlink.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.testing.Kernel;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket against the real kernel: datagram sizing, port ids, wake-up. */
class NetlinkSocketIT {

  @BeforeEach
  void root() {
    Kernel.require();
  }

  @Test
  void receiveBufferGrowsToFitEachDatagramWhole() throws Exception {
    try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE, 0, 64);
        RtnlClient c = new RtnlClient(s)) {
      assertThat(s.receiveCapacity()).isEqualTo(64);
      Link lo = c.link(1).orElseThrow(); // the reply is several hundred bytes
      assertThat(lo.name().value()).isEqualTo("lo");
      assertThat(s.receiveCapacity()).isGreaterThan(64);
      List<Link> all = c.links();
      assertThat(all).extracting(Link::index).contains(1);
    }
  }

  @Test
  void eachSocketGetsItsOwnPortId() throws Exception {
    try (NetlinkSocket a = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
        NetlinkSocket b = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      assertThat(a.portId()).isNotZero().isNotEqualTo(b.portId());
    }
  }

  @Test
  void wakeupReleasesABlockedReceive() throws Exception {
    try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE, Rtnetlink.RTMGRP_LINK)) {
      Thread t =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      Thread.sleep(50);
                      s.wakeup();
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                  });
      assertThat(s.receive(-1, "test")).isEmpty();
      t.join();
    }
  }

  @Test
  void closedSocketRefusesWork() throws Exception {
    NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    s.close();
    s.close(); // idempotent
    assertThatThrownBy(() -> s.receive("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("netlink socket closed");
  }
}
