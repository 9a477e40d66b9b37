package io.sriov.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.netns.NetnsName;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Every bad input a user can hand to this module's values, with the exact error. */
class ValuesTest {

  @Test
  void routeSpec() {
    assertThatThrownBy(
            () -> RouteSpec.via(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parseAddress("fd00::1"), 0))
        .hasMessage("gateway fd00:0:0:0:0:0:0:1 is not of the family of 10.0.0.0/8");
    assertThatThrownBy(
            () ->
                new RouteSpec(
                    IpPrefix.parse("10.0.0.0/8"),
                    java.util.Optional.empty(),
                    OptionalInt.empty(),
                    254,
                    OptionalInt.empty(),
                    java.util.Optional.empty()))
        .hasMessage("route to 10.0.0.0/8 needs a gateway or a device");
  }

  @Test
  void vfValues() {
    assertThatThrownBy(() -> new VfVlan(4096, 0, VlanProtocol.IEEE_802_1Q))
        .hasMessage("VLAN id out of range 0-4095: 4096");
    assertThatThrownBy(() -> VfVlan.of(10, 8)).hasMessage("VLAN QoS out of range 0-7: 8");
    assertThat(VlanProtocol.parse("802.1AD")).isEqualTo(VlanProtocol.IEEE_802_1AD);
    assertThatThrownBy(() -> VlanProtocol.parse("802.1x"))
        .hasMessage("VLAN protocol \"802.1x\": expected 802.1Q or 802.1ad");
    assertThatThrownBy(() -> VfConfig.forVf(VfIndex.of(0)).rate(100, 10))
        .hasMessage("min TX rate 100 Mbps above max TX rate 10 Mbps");
    assertThatThrownBy(() -> VfLinkState.parse("up"))
        .hasMessage("VF link state \"up\": expected auto, enable or disable");
    assertThatThrownBy(
            () ->
                RtnlRequests.setVf(
                    new io.sriov.netlink.codec.MessageWriter(),
                    1,
                    VfConfig.forVf(VfIndex.of(2)).build()))
        .hasMessage("VF 2: nothing to set");
  }

  @Test
  void bondWords() {
    assertThat(BondMode.parse("balance-alb")).isEqualTo(BondMode.BALANCE_ALB);
    assertThat(BondMode.parse("4")).isEqualTo(BondMode.IEEE_802_3AD);
    assertThatThrownBy(() -> BondMode.parse("round-robin"))
        .hasMessage(
            "bond mode \"round-robin\": expected one of balance-rr, active-backup, balance-xor,"
                + " broadcast, 802.3ad, balance-tlb, balance-alb");
    assertThatThrownBy(() -> XmitHashPolicy.parse("layer5"))
        .hasMessage(
            "bond xmit_hash_policy \"layer5\": expected one of layer2, layer3+4, layer2+3,"
                + " encap2+3, encap3+4, vlan+srcmac");
    assertThatThrownBy(() -> BondOptions.builder(BondMode.BALANCE_RR).miimon(-1).build())
        .hasMessage("bond miimon must not be negative: -1");
  }

  @Test
  void altNameAndNetnsName() {
    assertThatThrownBy(
            () -> RtnlRequests.altName(new io.sriov.netlink.codec.MessageWriter(), 1, "a/b", true))
        .hasMessage("alternative name \"a/b\": must be 1-127 characters without '/'");
    assertThatThrownBy(() -> NetnsName.of("../etc"))
        .hasMessage("network namespace name \"../etc\": must not contain '/'");
    assertThatThrownBy(() -> NetnsName.of(".."))
        .hasMessage("network namespace name \"..\": must not be . or ..");
    assertThatThrownBy(() -> NetnsName.of(""))
        .hasMessage("network namespace name \"\": must not be empty");
  }
}
