package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.testing.Captured;
import io.sriov.netlink.testing.TestLinks;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A link as the discovery's netdev ({@link Link#netInterface()}): the sysfs reader's rules ({@code
 * mtu}, {@code type}, {@code address}, {@code operstate}, {@code carrier}) applied to one
 * RTM_NEWLINK. First on a reply captured from a real kernel (the igb PF of the guest, as {@code ip
 * -j link show} printed it: {@code captured/getlink-igb-vfs.ip.json}), then on each rule.
 */
class LinkNetInterfaceTest {

  @Test
  void aRealKernelsReplyGivesWhatIpAndSysfsShow() throws Exception {
    MessageReader m = new MessageReader(Captured.buffer("getlink-igb-vfs.reply.bin"));
    assertThat(m.next()).isTrue();
    Link pf = RtnlDecoders.link(m);
    assertThat(pf.type()).as("ifi_type ARPHRD_ETHER").isEqualTo(1);
    assertThat(pf.addressLength()).isEqualTo(6);
    assertThat(pf.netInterface())
        .contains(
            new NetInterface(
                InterfaceName.of("eth0"),
                List.of(),
                Optional.of(MacAddress.parse("52:54:00:12:34:56")),
                1500,
                LinkType.ETHER,
                OperState.UP,
                true,
                OptionalInt.empty(),
                Optional.empty(),
                Optional.empty()));
  }

  private static Link link(int type, int addressLength, OperState oper, boolean carrier) {
    return TestLinks.link(
        3,
        "ib0",
        List.of("alt0"),
        oper,
        carrier,
        2044,
        addressLength == 6 ? Optional.of(MacAddress.parse("02:00:00:00:00:01")) : Optional.empty(),
        type,
        addressLength);
  }

  @Test
  void anInfinibandAddressIsNoMacAndTheTypeIsInfiniband() {
    NetInterface n = link(32, 20, OperState.UP, true).netInterface().orElseThrow();
    assertThat(n.mac()).isEmpty();
    assertThat(n.linkType()).isEqualTo(LinkType.INFINIBAND);
    assertThat(n.mtu()).isEqualTo(2044);
    assertThat(n.altNames()).containsExactly("alt0");
  }

  @Test
  void noAddressIsNoMac() {
    assertThat(link(65534, 0, OperState.UNKNOWN, true).netInterface().orElseThrow().mac())
        .isEmpty();
  }

  @Test
  void anAddressSysfsWouldRefuseLeavesTheNetdevToItsFiles() {
    // a 4-byte (ipip tunnel) address: sysfs's reader skips such a device naming the file
    assertThat(link(768, 4, OperState.UNKNOWN, false).netInterface()).isEmpty();
  }

  @Test
  void carrierOnlyWhereOperstateDoesNotTell() {
    assertThat(link(1, 6, OperState.UP, false).netInterface().orElseThrow().carrier())
        .as("UP implies carrier")
        .isTrue();
    for (OperState noLink :
        List.of(OperState.DOWN, OperState.LOWERLAYERDOWN, OperState.NOTPRESENT)) {
      assertThat(link(1, 6, noLink, true).netInterface().orElseThrow().carrier())
          .as(noLink + ": sysfs refuses carrier, read as none")
          .isFalse();
    }
    assertThat(link(1, 6, OperState.UNKNOWN, true).netInterface().orElseThrow().carrier()).isTrue();
    assertThat(link(1, 6, OperState.DORMANT, false).netInterface().orElseThrow().carrier())
        .isFalse();
  }
}
