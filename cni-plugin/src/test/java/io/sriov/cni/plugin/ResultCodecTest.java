package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.json.JsonInput;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Results of every version read and written in every version; expected text is what libcni's {@code
 * types.PrintResult} prints after its conversion.
 */
class ResultCodecTest {

  static final String V031 =
      """
      {"cniVersion": "0.3.1",
       "interfaces": [{"name": "net1", "mac": "02:00:00:00:00:01", "sandbox": "/var/run/netns/p"}],
       "ips": [{"version": "4", "interface": 0, "address": "10.1.2.3/24", "gateway": "10.1.2.1"},
               {"version": "6", "address": "fd00:0:0:0:0:0:0:5/64"}],
       "routes": [{"dst": "0.0.0.0/0", "gw": "10.1.2.1"}],
       "dns": {"nameservers": ["10.0.0.10"], "search": ["svc.local"]}}
      """;

  static final String V110 =
      """
      {"cniVersion": "1.1.0",
       "interfaces": [{"name": "bond0", "mac": "02:00:00:00:00:01", "mtu": 9000,
                       "sandbox": "/var/run/netns/p", "socketPath": "/s", "pciID": "0000:01:10.0",
                       "unknown": 1}],
       "ips": [{"interface": 0, "address": "10.1.2.3/24"}],
       "routes": [{"dst": "10.9.0.0/16", "gw": "10.1.2.254", "mtu": 1400, "advmss": 1360,
                   "priority": 10, "table": 100, "scope": 0}]}
      """;

  private static CniResult read(String json) {
    return ResultCodec.parse(json.getBytes(StandardCharsets.UTF_8), "test result");
  }

  private static String write(CniResult r, CniVersion v) {
    return new String(ResultCodec.write(r, v), StandardCharsets.UTF_8);
  }

  @Test
  void v031ToV100DropsIpVersionAndCompactsIpv6() {
    assertThat(write(read(V031), CniVersion.V1_0_0))
        .isEqualTo(
            """
            {
                "cniVersion": "1.0.0",
                "interfaces": [
                    {
                        "name": "net1",
                        "mac": "02:00:00:00:00:01",
                        "sandbox": "/var/run/netns/p"
                    }
                ],
                "ips": [
                    {
                        "interface": 0,
                        "address": "10.1.2.3/24",
                        "gateway": "10.1.2.1"
                    },
                    {
                        "address": "fd00::5/64"
                    }
                ],
                "routes": [
                    {
                        "dst": "0.0.0.0/0",
                        "gw": "10.1.2.1"
                    }
                ],
                "dns": {
                    "nameservers": [
                        "10.0.0.10"
                    ],
                    "search": [
                        "svc.local"
                    ]
                }
            }""");
  }

  @Test
  void v110ToV040AddsIpVersionAndDropsNewInterfaceFields() {
    assertThat(write(read(V110), CniVersion.V0_4_0))
        .isEqualTo(
            """
            {
                "cniVersion": "0.4.0",
                "interfaces": [
                    {
                        "name": "bond0",
                        "mac": "02:00:00:00:00:01",
                        "sandbox": "/var/run/netns/p"
                    }
                ],
                "ips": [
                    {
                        "version": "4",
                        "interface": 0,
                        "address": "10.1.2.3/24"
                    }
                ],
                "routes": [
                    {
                        "dst": "10.9.0.0/16",
                        "gw": "10.1.2.254",
                        "mtu": 1400,
                        "advmss": 1360,
                        "priority": 10,
                        "table": 100,
                        "scope": 0
                    }
                ]
            }""");
  }

  @Test
  void v110RoundTripsEveryField() {
    String out = write(read(V110), CniVersion.V1_1_0);
    assertThat(out)
        .contains("\"mtu\": 9000,", "\"socketPath\": \"/s\",", "\"pciID\": \"0000:01:10.0\"")
        .doesNotContain("unknown", "\"version\"", "\"dns\"");
    assertThat(read(out)).isEqualTo(read(V110));
  }

  @Test
  void everyVersionReadsAndWrites() {
    for (CniVersion from : CniVersion.values()) {
      CniResult r = read(V031.replace("\"0.3.1\"", "\"" + from.text() + "\""));
      for (CniVersion to : CniVersion.values()) {
        String out = write(r, to);
        assertThat(out).startsWith("{\n    \"cniVersion\": \"" + to.text() + "\",");
        assertThat(out.contains("\"version\": \"6\"")).isEqualTo(!to.atLeast(CniVersion.V1_0_0));
        assertThat(read(out)).isEqualTo(r);
      }
    }
  }

  @Test
  void emptyResultIsJustTheVersion() {
    assertThat(write(CniResult.EMPTY, CniVersion.V0_3_0))
        .isEqualTo("{\n    \"cniVersion\": \"0.3.0\"\n}");
  }

  private static void bad(String json, String msg) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(CniErrorCode.DECODING_FAILURE);
              assertThat(e.msg()).isEqualTo(msg);
            });
  }

  @Test
  void malformedResults() {
    bad(
        "nope",
        "test result: not JSON: Unrecognized token 'nope': was expecting (JSON String,"
            + " Number, Array, Object or token 'null', 'true' or 'false')");
    bad("", "test result: empty");
    bad("[]", "test result: expected a result object, got an array");
    bad("{\"cniVersion\": 1}", "test result: cniVersion: expected a string, got a number");
    bad(
        "{\"cniVersion\": \"1.0.0\", \"ips\": [{\"address\": \"10.1.2.3\"}]}",
        "test result: ips[0].address: IP prefix \"10.1.2.3\": expected ADDRESS/LENGTH");
    bad(
        "{\"cniVersion\": \"1.0.0\", \"ips\": [{\"gateway\": \"10.1.2.3\"}]}",
        "test result: ips[0]: address: missing (want ADDRESS/LENGTH)");
    bad(
        "{\"cniVersion\": \"1.0.0\", \"ips\": [{\"address\": \"10.1.2.3/8\", \"gateway\": \"gw\"}]}",
        "test result: ips[0].gateway: IP address \"gw\": not an IPv4 or IPv6 literal");
    bad(
        "{\"cniVersion\": \"1.0.0\", \"ips\": [{\"address\": \"10.1.2.3/8\", \"interface\": -1}]}",
        "test result: ips[0].interface: interface index must be 0 or more");
    bad(
        "{\"cniVersion\": \"1.0.0\", \"interfaces\": [{\"name\": \"a\"}],"
            + " \"ips\": [{\"address\": \"10.1.2.3/8\", \"interface\": 1}]}",
        "test result: ip 10.1.2.3/8 names interface 1, but the result has 1");
    bad(
        "{\"cniVersion\": \"1.0.0\", \"routes\": [{\"gw\": \"10.1.2.3\"}]}",
        "test result: routes[0]: dst: missing (want ADDRESS/LENGTH)");
    bad(
        "{\"cniVersion\": \"1.1.0\", \"routes\": [{\"dst\": \"0.0.0.0/0\", \"mtu\": \"1500\"}]}",
        "test result: routes[0].mtu: expected an integer, got a string");
    bad(
        "{\"cniVersion\": \"1.1.0\", \"interfaces\": {}}",
        "test result: interfaces: expected an array, got an object");
    bad(
        "{\"cniVersion\": \"1.1.0\", \"dns\": {\"nameservers\": \"8.8.8.8\"}}",
        "test result: dns.nameservers: expected an array of strings, got a string");
  }

  @Test
  void unsupportedResultVersion() {
    assertThatThrownBy(() -> read("{\"cniVersion\": \"0.2.0\", \"ip4\": {}}"))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> assertThat(e.code()).isEqualTo(CniErrorCode.INCOMPATIBLE_CNI_VERSION));
  }

  @Test
  void prevResultIsReadWithoutItsVersion() throws Exception {
    JsonInput in =
        JsonInput.root(new ObjectMapper().readTree("{\"ips\": [{\"address\": \"192.0.2.1/24\"}]}"));
    assertThat(ResultCodec.parse(in, "prevResult").ips()).hasSize(1);
  }
}
