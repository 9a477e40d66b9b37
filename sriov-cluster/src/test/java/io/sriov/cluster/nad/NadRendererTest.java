package io.sriov.cluster.nad;

import static io.sriov.cluster.nad.Networks.VRF_BLUE;
import static io.sriov.cluster.nad.Networks.ib;
import static io.sriov.cluster.nad.Networks.ovs;
import static io.sriov.cluster.nad.Networks.ovsSpec;
import static io.sriov.cluster.nad.Networks.sriov;
import static io.sriov.cluster.nad.Networks.sriovSpec;
import static io.sriov.cluster.nad.Networks.withMeta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sriov.cluster.api.SriovIBNetworkSpec;
import io.sriov.cluster.api.SriovNetworkSpec;
import io.sriov.cluster.api.TrunkConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rendered NADs against upstream: its own golden files (every case of its {@code
 * helper_test.go}, byte for byte on {@code spec.config}), and, for a network of each kind with
 * every field set, upstream's template executed by Go and read by a YAML parser (see {@code
 * src/test/resources/io/sriov/cluster/nad/README.md}).
 */
class NadRendererTest {
  /** upstream's tests run without RESOURCE_PREFIX: the annotation is {@code /testresource}. */
  final NadRenderer upstreamTests = new NadRenderer("");

  final NadRenderer renderer = new NadRenderer("openshift.io");

  private static JsonNode resource(String path, ObjectMapper mapper) throws IOException {
    try (InputStream in = NadRendererTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return mapper.readTree(in);
    }
  }

  /** The NAD as upstream would create it, before its operator formats {@code spec.config}. */
  private static void assertUpstream(RenderedNad nad, JsonNode expected) {
    assertThat(nad.name()).isEqualTo(expected.at("/metadata/name").asText());
    assertThat(nad.namespace()).isEqualTo(expected.at("/metadata/namespace").asText());
    assertThat(nad.resourceName())
        .isEqualTo(expected.at("/metadata/annotations/k8s.v1.cni.cncf.io~1resourceName").asText());
    assertThat(nad.ownerRef())
        .isEqualTo(
            expected.at("/metadata/annotations/sriovnetwork.openshift.io~1owner-ref").asText());
    assertThat(nad.rawConfig()).isEqualTo(expected.at("/spec/config").asText());
  }

  private static JsonNode golden(String name) throws IOException {
    return resource("upstream/" + name + ".golden", new ObjectMapper());
  }

  @Test
  void upstreamTestRendering() throws IOException {
    assertUpstream(
        upstreamTests.render(sriov("ns", "test", sriovSpec("testnamespace", "testresource"))),
        golden("TestRendering/simple"));
    assertUpstream(
        upstreamTests.render(
            sriov("ns", "test", withMeta(sriovSpec("testnamespace", "testresource"), VRF_BLUE))),
        golden("TestRendering/chained"));
  }

  @Test
  void upstreamTestIBRendering() throws IOException {
    RenderedNad nad =
        upstreamTests.render(
            ib(
                "ns",
                "test",
                new SriovIBNetworkSpec("testnamespace", "testresource", "foo", "", "", "")));
    assertUpstream(nad, golden("TestIBRendering/simpleib"));
    // Upstream's own case is not JSON ("capabilities":foo): its operator fails to store it.
    assertThatThrownBy(nad::config)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid character 'o' in literal false (expecting 'a')");
  }

  @Test
  void upstreamTestOVSRendering() throws IOException {
    assertUpstream(
        upstreamTests.render(
            ovs(
                "ns",
                "test",
                ovsSpec("testnamespace", "testresource", "", "", "", "", 0, 0, null, ""))),
        golden("TestOVSRendering/simpleovs"));
    assertUpstream(
        upstreamTests.render(
            ovs(
                "ns",
                "test",
                ovsSpec("testnamespace", "testresource", "", "", VRF_BLUE, "", 0, 1500, null, ""))),
        golden("TestOVSRendering/chained"));
    assertUpstream(
        upstreamTests.render(
            ovs(
                "ns",
                "test",
                ovsSpec(
                    "testnamespace",
                    "testresource",
                    "{\"foo\": \"bar\"}",
                    "{\"type\": \"foo\"}",
                    "",
                    "test",
                    100,
                    1500,
                    List.of(new TrunkConfig(null, null, 120), new TrunkConfig(500, 550, null)),
                    "netdev"))),
        golden("TestOVSRendering/complexconf"));
  }

  @Test
  void aSriovNetworkWithEveryField() throws IOException {
    SriovNetworkSpec spec =
        new SriovNetworkSpec(
            "apps",
            "intel_sriov_netdevice",
            "{ \"mac\": true, \"ips\": true }",
            "{ \"type\": \"host-local\", \"subnet\": \"10.56.217.0/24\",\n"
                + "  \"routes\": [{\"dst\": \"0.0.0.0/0\"}],\t\"gateway\": \"10.56.217.1\" }",
            100,
            3,
            "802.1ad",
            "on",
            "off",
            "enable",
            100,
            1000,
            "{ \"type\": \"tuning\", \"sysctl\": { \"net.ipv4.conf.IFNAME.arp_notify\": \"1\" } }",
            "debug",
            "/var/log/sriov-cni.log");
    RenderedNad nad = renderer.render(sriov("sriov-network-operator", "full", spec));
    assertUpstream(nad, resource("full-sriov.template-output.yaml", new YAMLMapper()));
    assertThat(nad.config())
        .isEqualTo(
            """
            {
                "cniVersion": "1.0.0",
                "name": "full",
                "plugins": [
                    {
                        "type": "sriov",
                        "vlan": 100,
                        "spoofchk": "on",
                        "trust": "off",
                        "vlanQoS": 3,
                        "vlanProto": "802.1ad",
                        "min_tx_rate": 100,
                        "max_tx_rate": 1000,
                        "capabilities": {
                            "mac": true,
                            "ips": true
                        },
                        "link_state": "enable",
                        "logLevel": "debug",
                        "logFile": "/var/log/sriov-cni.log",
                        "ipam": {
                            "type": "host-local",
                            "subnet": "10.56.217.0/24",
                            "routes": [
                                {
                                    "dst": "0.0.0.0/0"
                                }
                            ],
                            "gateway": "10.56.217.1"
                        }
                    },
                    {
                        "type": "tuning",
                        "sysctl": {
                            "net.ipv4.conf.IFNAME.arp_notify": "1"
                        }
                    }
                ]
            }""");
  }

  @Test
  void anIbNetworkWithEveryField() throws IOException {
    RenderedNad nad =
        renderer.render(
            ib(
                "apps",
                "ib",
                new SriovIBNetworkSpec(
                    "",
                    "mlnx_ib",
                    "{\"infinibandGUID\": true}",
                    "{\"type\": \"whereabouts\", \"range\": \"192.168.5.0/24\"}",
                    "auto",
                    "")));
    assertUpstream(nad, resource("full-ib.template-output.yaml", new YAMLMapper()));
  }

  @Test
  void anOvsNetworkWithEveryField() throws IOException {
    RenderedNad nad =
        renderer.render(
            ovs(
                "apps",
                "ovs",
                ovsSpec(
                    "",
                    "switchdev",
                    "",
                    "",
                    "{\"type\":\"vrf\",\"vrfname\":\"red\"}",
                    "br-0000_d8_00.0",
                    20,
                    9000,
                    List.of(new TrunkConfig(100, 200, null), new TrunkConfig(null, null, 300)),
                    "dpdk")));
    assertUpstream(nad, resource("full-ovs.template-output.yaml", new YAMLMapper()));
  }

  @Test
  void valuesOutsideTheEnumsAreLeftOutAsUpstreamDoes() {
    SriovNetworkSpec spec =
        new SriovNetworkSpec("", "r", "", "", 0, 9, "", "yes", "maybe", "up", -1, -1, "", "", "");
    assertThat(renderer.render(sriov("ns", "n", spec)).rawConfig())
        .isEqualTo(
            "{ \"cniVersion\":\"1.0.0\", \"name\":\"n\",\"type\":\"sriov\",\"vlan\":0,\"ipam\":{} }");
  }

  @Test
  void aLoneQuoteFailsTheRenderAsUpstreamsYamlDoes() {
    SriovNetworkSpec spec = withMeta(sriovSpec("", "r"), "{\"type\":\"tuning\",\"x\":\"it's\"}");
    assertThatThrownBy(() -> renderer.render(sriov("ns", "n", spec)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a single quote (') in the network's configuration ends upstream's single-quoted YAML scalar early: double it ('') or remove it");
    SriovNetworkSpec doubled =
        withMeta(sriovSpec("", "r"), "{\"type\":\"tuning\",\"x\":\"it''s\"}");
    assertThat(renderer.render(sriov("ns", "n", doubled)).rawConfig()).contains("\"it's\"");
  }

  @Test
  void goSpacesAreRemovedFromIpam() {
    assertThat(NadRenderer.withoutGoSpaces("{ \"a\":\u00a0\"b c\"\u2003}\n"))
        .isEqualTo("{\"a\":\"bc\"}");
  }
}
