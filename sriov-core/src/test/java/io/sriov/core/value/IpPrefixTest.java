package io.sriov.core.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link IpPrefix}: parsing with the exact errors, the network, Go's address text. */
class IpPrefixTest {

  @Test
  void ipPrefix() {
    assertThat(IpPrefix.parse("10.1.2.3/24").network().toString()).isEqualTo("10.1.2.0/24");
    assertThat(IpPrefix.parse("fd00::5/64").network().toString())
        .isEqualTo("fd00:0:0:0:0:0:0:0/64");
    assertThatThrownBy(() -> IpPrefix.parse("10.1.2.3"))
        .hasMessage("IP prefix \"10.1.2.3\": expected ADDRESS/LENGTH");
    assertThatThrownBy(() -> IpPrefix.parse("10.1.2.3/33"))
        .hasMessage("prefix length 33 out of range 0-32 for 10.1.2.3");
    assertThatThrownBy(() -> IpPrefix.parse("10.1.2.3/x"))
        .hasMessage("IP prefix \"10.1.2.3/x\": length \"x\" is not a number");
    assertThatThrownBy(() -> IpPrefix.parse("example.com/24"))
        .hasMessage("IP address \"example.com\": not an IPv4 or IPv6 literal");
    assertThatThrownBy(() -> IpPrefix.parse("10.1.2/24"))
        .hasMessage("IP address \"10.1.2\": not an IPv4 or IPv6 literal");
  }

  @Test
  void compactTextIsGos() {
    assertThat(IpPrefix.parse("10.1.2.3/24").compact()).isEqualTo("10.1.2.3/24");
    assertThat(IpPrefix.parse("fd00:0:0:0:0:0:0:5/64").compact()).isEqualTo("fd00::5/64");
    assertThat(IpPrefix.parse("2001:db8:0:1:0:0:0:7/64").compact()).isEqualTo("2001:db8:0:1::7/64");
    assertThat(IpPrefix.parse("2001:db8:0:0:1:0:0:7/64").compact())
        .isEqualTo("2001:db8::1:0:0:7/64");
    assertThat(IpPrefix.parse("2001:db8:1:1:1:1:0:7/64").compact())
        .isEqualTo("2001:db8:1:1:1:1:0:7/64");
    assertThat(IpPrefix.parse("::/0").compact()).isEqualTo("::/0");
    assertThat(IpPrefix.parse("::1/128").compact()).isEqualTo("::1/128");
    assertThat(IpPrefix.parse("fe80::/10").compact()).isEqualTo("fe80::/10");
    assertThat(IpPrefix.format(IpPrefix.parseAddress("FD00::AB"))).isEqualTo("fd00::ab");
  }
}
