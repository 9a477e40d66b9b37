package io.sriov.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.json.JsonBindException;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfVlan;
import io.sriov.netlink.route.VlanProtocol;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SriovNetConfTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static SriovNetConf parse(String fields) {
    return parse(fields, Optional.empty());
  }

  static SriovNetConf parse(String fields, Optional<String> argsMac) {
    String doc =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"sriov-net\",\"type\":\"sriov\""
            + (fields.isEmpty() ? "" : "," + fields)
            + "}";
    try {
      return SriovNetConf.parse(JSON.readTree(doc), argsMac);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void onlyDeviceIdLeavesEveryVfAttributeUntouched() {
    SriovNetConf c = parse("\"deviceID\":\"0000:af:06.0\"");
    assertThat(c.deviceId()).isEqualTo(PciAddress.parse("0000:af:06.0"));
    assertThat(c.vlan()).isEmpty();
    assertThat(c.mac()).isEmpty();
    assertThat(c.spoofCheck()).isEmpty();
    assertThat(c.trust()).isEmpty();
    assertThat(c.linkState()).isEmpty();
    assertThat(c.minTxRateMbps()).isEmpty();
    assertThat(c.maxTxRateMbps()).isEmpty();
    assertThat(c.ipamType()).isEmpty();
    assertThat(c.vfConfig(VfIndex.of(2), true).isEmpty()).isTrue();
  }

  @Test
  void everyFieldWithUpstreamDefaultsAndGoKeyMatching() {
    SriovNetConf c =
        parse(
            "\"DeviceID\":\"0000:af:06.1\",\"VLAN\":100,\"vlanqos\":3,\"mac\":\"02:AA:BB:CC:DD:EE\","
                + "\"spoofchk\":\"off\",\"trust\":\"on\",\"link_state\":\"enable\","
                + "\"min_tx_rate\":10,\"max_tx_rate\":100,\"ipam\":{\"type\":\"host-local\"},"
                + "\"logLevel\":\"debug\",\"unknown\":{\"x\":1}");
    assertThat(c.vlan()).contains(new VfVlan(100, 3, VlanProtocol.IEEE_802_1Q));
    assertThat(c.mac()).contains(MacAddress.parse("02:aa:bb:cc:dd:ee"));
    assertThat(c.spoofCheck()).contains(false);
    assertThat(c.trust()).contains(true);
    assertThat(c.linkState()).contains(VfLinkState.ENABLE);
    assertThat(c.minTxRateMbps()).hasValue(10);
    assertThat(c.maxTxRateMbps()).hasValue(100);
    assertThat(c.ipamType()).contains("host-local");
    VfConfig v = c.vfConfig(VfIndex.of(1), false);
    assertThat(v.mac()).isEmpty();
    assertThat(v.rate()).contains(new VfConfig.TxRate(10, 100));
  }

  @Test
  void vlanGivesQosZeroAndProto8021qAndProtoIsCaseInsensitive() {
    assertThat(parse("\"deviceID\":\"0000:af:06.0\",\"vlan\":7").vlan())
        .contains(new VfVlan(7, 0, VlanProtocol.IEEE_802_1Q));
    assertThat(parse("\"deviceID\":\"0000:af:06.0\",\"vlan\":7,\"vlanProto\":\"802.1AD\"").vlan())
        .contains(new VfVlan(7, 0, VlanProtocol.IEEE_802_1AD));
    assertThat(parse("\"deviceID\":\"0000:af:06.0\",\"vlan\":0").vlan())
        .contains(new VfVlan(0, 0, VlanProtocol.IEEE_802_1Q));
  }

  @Test
  void anythingButOnIsOffAsUpstream() {
    SriovNetConf c = parse("\"deviceID\":\"0000:af:06.0\",\"spoofchk\":\"yes\",\"trust\":\"ON\"");
    assertThat(c.spoofCheck()).contains(false);
    assertThat(c.trust()).contains(false);
  }

  @Test
  void macPrecedenceRuntimeConfigOverCniArgsOverNetconf() {
    String base = "\"deviceID\":\"0000:af:06.0\",\"mac\":\"02:00:00:00:00:01\"";
    assertThat(parse(base).mac()).contains(MacAddress.parse("02:00:00:00:00:01"));
    assertThat(parse(base, Optional.of("02:00:00:00:00:02")).mac())
        .contains(MacAddress.parse("02:00:00:00:00:02"));
    assertThat(
            parse(
                    base + ",\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:03\"}",
                    Optional.of("02:00:00:00:00:02"))
                .mac())
        .contains(MacAddress.parse("02:00:00:00:00:03"));
    assertThat(parse(base + ",\"runtimeConfig\":{\"mac\":\"\"}", Optional.of("")).mac())
        .as("empty values do not count")
        .contains(MacAddress.parse("02:00:00:00:00:01"));
  }

  @Test
  void onlyOneRateSendsTheOtherAsZero() {
    VfConfig v =
        parse("\"deviceID\":\"0000:af:06.0\",\"max_tx_rate\":500").vfConfig(VfIndex.of(0), true);
    assertThat(v.rate()).contains(new VfConfig.TxRate(0, 500));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "''                                              | VF pci addr is required",
        "\"deviceID\":\"\"                               | VF pci addr is required",
        "\"deviceID\":\"0000:af:06\"                     | deviceID: PCI address \"0000:af:06\": expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)",
        "\"deviceID\":\"0000:af:06.0\",\"vlanQoS\":1     | vlan id must be configured to set vlan QoS to a non-nil value",
        "\"deviceID\":\"0000:af:06.0\",\"vlanProto\":\"802.1q\" | vlan id must be configured to set vlan proto to a non-nil value",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":4095      | vlan id 4095 invalid: value must be in the range 0-4094",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":-1        | vlan id -1 invalid: value must be in the range 0-4094",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":5,\"vlanQoS\":8 | vlan QoS PCP 8 invalid: value must be in the range 0-7",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":5,\"vlanQoS\":-1 | vlan QoS PCP -1 invalid: value must be in the range 0-7",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":0,\"vlanQoS\":2 | non-zero vlan id must be configured to set vlan QoS to a non-zero value",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":5,\"vlanProto\":\"802.1x\" | vlan Proto 802.1x invalid: value must be '802.1Q' or '802.1ad'",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":0,\"vlanProto\":\"802.1ad\" | non-zero vlan id must be configured to set vlan proto 802.1ad",
        "\"deviceID\":\"0000:af:06.0\",\"link_state\":\"up\" | invalid link_state value: up",
        "\"deviceID\":\"0000:af:06.0\",\"link_state\":\"Auto\" | invalid link_state value: Auto",
        "\"deviceID\":\"0000:af:06.0\",\"min_tx_rate\":-5 | min_tx_rate -5 invalid: value must not be negative",
        "\"deviceID\":\"0000:af:06.0\",\"max_tx_rate\":-1 | max_tx_rate -1 invalid: value must not be negative",
        "\"deviceID\":\"0000:af:06.0\",\"min_tx_rate\":200,\"max_tx_rate\":100 | min_tx_rate 200 invalid: value must not exceed max_tx_rate 100",
        "\"deviceID\":\"0000:af:06.0\",\"mac\":\"zz:00:00:00:00:01\" | mac \"zz:00:00:00:00:01\" invalid: MAC address \"zz:00:00:00:00:01\": octet 1 is not hex",
        "\"deviceID\":\"0000:af:06.0\",\"mac\":\"01:00:5e:00:00:01\" | mac \"01:00:5e:00:00:01\" invalid: a VF needs a unicast, non-zero address",
        "\"deviceID\":\"0000:af:06.0\",\"mac\":\"00:00:00:00:00:00\" | mac \"00:00:00:00:00:00\" invalid: a VF needs a unicast, non-zero address",
      })
  void invalidValuesAreRefusedWithUpstreamsMessage(String fields, String message) {
    assertThatThrownBy(() -> parse(fields))
        .isInstanceOf(InvalidNetConfException.class)
        .hasMessage(message);
  }

  @Test
  void aBadCniArgsMacIsNamed() {
    assertThatThrownBy(() -> parse("\"deviceID\":\"0000:af:06.0\"", Optional.of("nope")))
        .isInstanceOf(InvalidNetConfException.class)
        .hasMessageStartingWith("mac \"nope\" invalid: ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "\"deviceID\":5                              | deviceID: expected a string, got a number",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":\"5\"  | vlan: expected an integer, got a string",
        "\"deviceID\":\"0000:af:06.0\",\"vlan\":1.5    | vlan: expected an integer, got the number 1.5",
        "\"deviceID\":\"0000:af:06.0\",\"spoofchk\":true | spoofchk: expected a string, got a boolean",
        "\"deviceID\":\"0000:af:06.0\",\"max_tx_rate\":99999999999 | max_tx_rate: integer 99999999999 out of range",
        "\"deviceID\":\"0000:af:06.0\",\"runtimeConfig\":[] | runtimeConfig: expected a runtimeConfig object, got an array",
        "\"deviceID\":\"0000:af:06.0\",\"ipam\":\"host-local\" | ipam: expected an ipam object, got a string",
      })
  void wrongJsonTypesAreDecodeErrorsNamingTheField(String fields, String message) {
    assertThatThrownBy(() -> parse(fields))
        .isInstanceOf(JsonBindException.class)
        .hasMessage(message);
  }
}
