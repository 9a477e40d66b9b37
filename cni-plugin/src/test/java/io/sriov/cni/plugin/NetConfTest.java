package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NetConfTest {

  private static NetConf parse(String json) {
    return NetConf.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void fails(String json, CniErrorCode code, String msg) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.msg()).isEqualTo(msg);
            });
  }

  @Test
  void sharedFields() {
    NetConf c =
        parse(
            """
            {"cniVersion": "1.1.0", "name": "sriov-net.a_1", "type": "bond",
             "ipam": {"type": "host-local", "subnet": "10.1.0.0/16"},
             "dns": {"nameservers": ["10.0.0.10"], "domain": "cluster.local"},
             "runtimeConfig": {"mac": "02:00:00:00:00:09"},
             "capabilities": {"mac": true, "ips": false},
             "prevResult": {"cniVersion": "1.1.0", "ips": [{"address": "10.1.0.5/16"}]},
             "logFile": "/var/log/bond.log", "LOGLEVEL": "debug", "mode": "active-backup"}
            """);
    assertThat(c.cniVersion()).contains("1.1.0");
    assertThat(c.name()).isEqualTo("sriov-net.a_1");
    assertThat(c.type()).isEqualTo("bond");
    assertThat(c.ipamType()).contains("host-local");
    assertThat(c.dns().orElseThrow().domain()).contains("cluster.local");
    assertThat(c.runtimeConfig().orElseThrow().get("mac").textValue())
        .isEqualTo("02:00:00:00:00:09");
    assertThat(c.capabilities()).containsEntry("mac", true).containsEntry("ips", false);
    assertThat(c.prevResult().orElseThrow().ips().get(0).address().compact())
        .isEqualTo("10.1.0.5/16");
    assertThat(c.logFile()).contains("/var/log/bond.log");
    assertThat(c.logLevel()).contains("debug");
    assertThat(c.document().node().get("mode").textValue()).isEqualTo("active-backup");
    assertThat(c.validAttachments()).isEmpty();
  }

  @Test
  void nullIsAbsentAndEmptyLogSettingsAreUnset() {
    NetConf c =
        parse(
            "{\"cniVersion\": null, \"name\": \"n\", \"ipam\": null, \"logFile\": \"\","
                + " \"prevResult\": null}");
    assertThat(c.cniVersion()).isEmpty();
    assertThat(c.ipam()).isEmpty();
    assertThat(c.ipamType()).isEmpty();
    assertThat(c.logFile()).isEmpty();
    assertThat(c.prevResult()).isEmpty();
    assertThat(parse("{\"name\": \"n\", \"ipam\": {}}").ipamType()).isEmpty();
  }

  @Test
  void gcAttachmentsUnderEitherName() {
    NetConf c =
        parse(
            """
            {"cniVersion": "1.1.0", "name": "n", "type": "bond",
             "cni.dev/valid-attachments": [{"containerID": "abc", "ifname": "net1"},
                                           {"containerID": "def", "ifname": "net2"}]}
            """);
    assertThat(c.validAttachments())
        .extracting(a -> a.containerId() + "/" + a.ifName())
        .containsExactly("abc/net1", "def/net2");
    assertThat(
            parse(
                    "{\"name\": \"n\", \"cni.dev/attachments\": [{\"containerID\": \"x\","
                        + " \"ifname\": \"e\"}]}")
                .validAttachments())
        .hasSize(1);
  }

  @Test
  void decodeErrorsAreCode6NamingThePath() {
    fails(
        "{",
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: Unexpected end-of-input: expected close marker for"
            + " Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`"
            + " disabled); line: 1, column: 1])");
    fails("", CniErrorCode.DECODING_FAILURE, "error unmarshall network config: empty input");
    fails(
        "[]",
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: expected a network configuration object, got an array");
    fails(
        "{\"name\": 5}",
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: name: expected a string, got a number");
    fails(
        "{\"name\": \"n\", \"ipam\": \"host-local\"}",
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: ipam: expected an ipam object, got a string");
    fails(
        "{\"name\": \"n\", \"capabilities\": {\"mac\": \"yes\"}}",
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: capabilities.mac: expected true or false, got a string");
    fails(
        "{\"name\": \"n\", \"prevResult\": {\"ips\": [{\"address\": \"x\"}]}}",
        CniErrorCode.DECODING_FAILURE,
        "prevResult: prevResult.ips[0].address: IP prefix \"x\": expected ADDRESS/LENGTH");
    fails(
        "{\"name\": \"n\", \"cni.dev/valid-attachments\": {}}",
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: cni.dev/valid-attachments: expected an array of"
            + " attachments, got an object");
  }

  @Test
  void nameRules() {
    fails("{\"type\": \"bond\"}", CniErrorCode.INVALID_NETWORK_CONFIG, "missing network name");
    fails("{\"name\": \"\"}", CniErrorCode.INVALID_NETWORK_CONFIG, "missing network name");
    fails(
        "{\"name\": \"../x\"}",
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "network name \"../x\": invalid characters (allowed: letters, digits, _ . -, starting"
            + " with a letter or digit)");
  }

  @Test
  void attachmentRules() {
    fails(
        "{\"name\": \"n\", \"cni.dev/valid-attachments\": [{\"containerID\": \"../x\","
            + " \"ifname\": \"e\"}]}",
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "cni.dev/valid-attachments[0].containerID \"../x\": invalid characters (allowed: letters,"
            + " digits, _ . -, starting with a letter or digit)");
    fails(
        "{\"name\": \"n\", \"cni.dev/valid-attachments\": [{\"containerID\": \"x\","
            + " \"ifname\": \"a/b\"}]}",
        CniErrorCode.INVALID_NETWORK_CONFIG,
        "cni.dev/valid-attachments[0].ifname: interface name \"a/b\": must not contain '/'");
  }
}
