package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.netlink.MalformedMessageException;
import io.sriov.netlink.codec.MessageReader;
import io.sriov.netlink.codec.MessageWriter;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A bond's IFLA_INFO_DATA read back into {@link BondOptions} (what CHECK compares): the kernel
 * dumps the same IFLA_BOND_* attributes, with the same types, that RTM_NEWLINK takes, so a request
 * written by the production writer is a faithful reply; plus unknown values. The e2e guest reads
 * real bonds back.
 */
class BondDecodeTest {

  private static Link roundTrip(BondOptions o) throws Exception {
    MessageWriter w = new MessageWriter();
    RtnlRequests.newLink(w, new LinkSpec.Bond(InterfaceName.of("bond9"), o));
    ByteBuffer b = w.finish(1);
    b.putShort(4, (short) io.sriov.netlink.codec.Rtnetlink.RTM_NEWLINK);
    MessageReader m = new MessageReader(b);
    assertThat(m.next()).isTrue();
    return RtnlDecoders.link(m);
  }

  @Test
  void everyOptionReadsBack() throws Exception {
    BondOptions o =
        BondOptions.builder(BondMode.ACTIVE_BACKUP)
            .miimon(0)
            .updelay(0)
            .downdelay(0)
            .arpInterval(250)
            .arpIpTarget((Inet4Address) IpPrefix.parseAddress("192.0.2.1"))
            .arpIpTarget((Inet4Address) IpPrefix.parseAddress("192.0.2.2"))
            .arpValidate(ArpValidate.FILTER_BACKUP)
            .primary(7)
            .failOverMac(FailOverMac.FOLLOW)
            .xmitHashPolicy(XmitHashPolicy.VLAN_SRCMAC)
            .resendIgmp(3)
            .allSlavesActive(true)
            .minLinks(2)
            .lacpRate(LacpRate.FAST)
            .adSelect(AdSelect.COUNT)
            .tlbDynamicLb(false)
            .build();
    Link l = roundTrip(o);
    assertThat(l.kind()).contains("bond");
    assertThat(l.bond()).contains(o);
  }

  @Test
  void onlyBondsCarryOptions() throws Exception {
    MessageWriter w = new MessageWriter();
    RtnlRequests.newLink(w, new LinkSpec.Bridge(InterfaceName.of("br9")));
    ByteBuffer b = w.finish(1);
    b.putShort(4, (short) io.sriov.netlink.codec.Rtnetlink.RTM_NEWLINK);
    MessageReader m = new MessageReader(b);
    assertThat(m.next()).isTrue();
    assertThat(RtnlDecoders.link(m).bond()).isEmpty();
  }

  @Test
  void unknownModeIsMalformed() {
    BondOptions o = BondOptions.builder(BondMode.BALANCE_ALB).build();
    MessageWriter w = new MessageWriter();
    RtnlRequests.newLink(w, new LinkSpec.Bond(InterfaceName.of("bond9"), o));
    ByteBuffer b = w.finish(1);
    b.putShort(4, (short) io.sriov.netlink.codec.Rtnetlink.RTM_NEWLINK);
    // the mode byte is the first IFLA_BOND_* attribute's payload: find IFLA_BOND_MODE (type 1,
    // len 5) and set an out-of-range value
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    for (int i = 0; i + 4 < a.length; i++) {
      if (a[i] == 5 && a[i + 1] == 0 && a[i + 2] == 1 && a[i + 3] == 0 && a[i + 4] == 6) {
        b.put(i + 4, (byte) 9);
        break;
      }
    }
    MessageReader m = new MessageReader(b);
    assertThatThrownBy(
            () -> {
              m.next();
              RtnlDecoders.link(m);
            })
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed netlink message: IFLA_BOND_MODE: unknown value 9");
  }

  @Test
  void enumsAreNumberedAsTheKernel() {
    assertThat(BondMode.IEEE_802_3AD.kernelValue()).isEqualTo(4);
    assertThat(BondMode.BALANCE_ALB.kernelValue()).isEqualTo(6);
    assertThat(XmitHashPolicy.VLAN_SRCMAC.kernelValue()).isEqualTo(5);
    assertThat(ArpValidate.FILTER_BACKUP.kernelValue()).isEqualTo(6);
    assertThat(FailOverMac.FOLLOW.kernelValue()).isEqualTo(2);
    assertThat(AdSelect.COUNT.kernelValue()).isEqualTo(2);
    assertThat(LacpRate.FAST.kernelValue()).isEqualTo(1);
    assertThat(ArpValidate.fromKernel(7)).isEmpty();
    assertThat(ArpValidate.parse("filter_active")).isEqualTo(ArpValidate.FILTER_ACTIVE);
    assertThatThrownBy(() -> ArpValidate.parse("some"))
        .hasMessage(
            "bond arp_validate \"some\": expected one of none, active, backup, all, filter,"
                + " filter_active, filter_backup");
    assertThatThrownBy(() -> BondOptions.builder(BondMode.BALANCE_RR).resendIgmp(256).build())
        .hasMessage("bond resend_igmp must be 0-255: 256");
  }
}
