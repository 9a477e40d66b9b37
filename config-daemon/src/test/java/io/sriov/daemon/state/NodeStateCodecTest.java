package io.sriov.daemon.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStateCodecTest {
  private final NodeStateCodec codec = new NodeStateCodec();

  private static String resource(String name) throws IOException {
    try (InputStream in = NodeStateCodecTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private SriovNetworkNodeState sample() throws IOException {
    return codec.read(resource("node-state.yaml"));
  }

  @Test
  void readsTheObjectAsKubectlPrintsIt() throws IOException {
    SriovNetworkNodeState s = sample();
    assertThat(s.apiVersion()).isEqualTo("sriovnetwork.openshift.io/v1");
    assertThat(s.kind()).isEqualTo("SriovNetworkNodeState");
    assertThat(s.name()).contains("worker-0");
    assertThat(s.metadata()).containsEntry("namespace", "sriov-network-operator");

    InterfaceSpec e810 = s.spec().interfaces().get(0);
    assertThat(e810)
        .isEqualTo(
            new InterfaceSpec(
                "0000:3b:00.0",
                8,
                9000,
                "ens1f0",
                "eth",
                "legacy",
                List.of(
                    new VfGroupSpec("intel_net", "netdevice", "0-5", "policy-net", 9000, true, ""),
                    new VfGroupSpec("intel_dpdk", "vfio-pci", "6-7", "policy-dpdk", 0, false, "")),
                false));
    assertThat(s.spec().interfaces().get(1))
        .isEqualTo(new InterfaceSpec("0000:3b:00.1", 2, 0, "ens1f1", "", "", List.of(), true));
    assertThat(s.spec().system()).isEqualTo(Map.of("ovsConfig", Map.of("hw-offload", "true")));

    InterfaceStatus st = s.status().interfaces().get(0);
    assertThat(st.linkSpeed()).isEqualTo("25000 Mb/s");
    assertThat(st.totalvfs()).isEqualTo(16);
    assertThat(st.linkAdminState()).isEqualTo("up");
    assertThat(st.vfs())
        .containsExactly(
            new VfStatus(
                "ens1f0v0",
                "02:00:3c:00:00:00",
                "",
                "iavf",
                "0000:3c:00.0",
                "8086",
                "1889",
                0,
                9000,
                0,
                "",
                "",
                ""),
            new VfStatus(
                "", "", "", "vfio-pci", "0000:3c:00.7", "8086", "1889", 100, 0, 7, "", "", ""));
    assertThat(s.status().interfaces().get(1).altNames()).containsExactly("enp59s0f1");
    assertThat(s.status().interfaces().get(1).externallyManaged()).isTrue();
    assertThat(s.status().syncStatus()).isEqualTo("Failed");
    assertThat(s.status().lastSyncError())
        .isEqualTo("0000:3b:00.1: externallyManaged: numVfs 2 but the PF has 0 VFs");
    assertThat(s.status().conditions()).hasSize(1);
  }

  @Test
  void writesBackWhatItReadAndReadsBackWhatItWrote() throws IOException {
    SriovNetworkNodeState s = sample();
    assertThat(codec.read(codec.toYaml(s))).isEqualTo(s);
    assertThat(codec.read(codec.toJson(s))).isEqualTo(s);
  }

  @Test
  void writesUpstreamNamesAndLeavesZeroValuesOutAsGoDoes() {
    SriovNetworkNodeState s =
        SriovNetworkNodeState.of(
                "node-1",
                NodeStateSpec.of(
                    List.of(
                        new InterfaceSpec(
                            "0000:3b:00.0",
                            2,
                            0,
                            "",
                            "",
                            "",
                            List.of(new VfGroupSpec("r", "", "0-1", "", 0, false, "")),
                            false))))
            .withStatus(
                NodeStateStatus.of(
                    List.of(
                        new InterfaceStatus(
                            "ens1f0",
                            "",
                            "ice",
                            "0000:3b:00.0",
                            "8086",
                            "159b",
                            "",
                            1500,
                            2,
                            "",
                            "ETH",
                            "up",
                            "legacy",
                            false,
                            16,
                            List.of(
                                new VfStatus(
                                    "",
                                    "",
                                    "",
                                    "iavf",
                                    "0000:3c:00.0",
                                    "8086",
                                    "1889",
                                    0,
                                    0,
                                    0,
                                    "",
                                    "",
                                    "")),
                            List.of())),
                    SyncStatus.SUCCEEDED,
                    ""));
    assertThat(codec.toYaml(s))
        .isEqualTo(
            """
            apiVersion: sriovnetwork.openshift.io/v1
            kind: SriovNetworkNodeState
            metadata:
              name: node-1
            spec:
              interfaces:
              - pciAddress: 0000:3b:00.0
                numVfs: 2
                vfGroups:
                - resourceName: r
                  vfRange: 0-1
            status:
              interfaces:
              - name: ens1f0
                driver: ice
                pciAddress: 0000:3b:00.0
                vendor: "8086"
                deviceID: 159b
                mtu: 1500
                numVfs: 2
                linkType: ETH
                linkAdminState: up
                eSwitchMode: legacy
                totalvfs: 16
                Vfs:
                - driver: iavf
                  pciAddress: 0000:3c:00.0
                  vendor: "8086"
                  deviceID: "1889"
                  vfID: 0
              syncStatus: Succeeded
            """);
    assertThat(codec.toJson(s))
        .contains("\"Vfs\" : [ {")
        .contains("\"vfID\" : 0")
        .contains("\"totalvfs\" : 16")
        .doesNotContain("\"Vlan\"")
        .doesNotContain("lastSyncError")
        .endsWith("}\n");
  }

  @Test
  void jsonIsReadToo() {
    SriovNetworkNodeState s =
        codec.read(
            "{\"apiVersion\":\"sriovnetwork.openshift.io/v1\",\"kind\":\"SriovNetworkNodeState\","
                + "\"metadata\":{\"name\":\"n\"},\"spec\":{\"interfaces\":[{\"pciAddress\":"
                + "\"0000:3b:00.0\",\"numVfs\":4}]}}");
    assertThat(s.spec().interfaces().get(0).numVfs()).isEqualTo(4);
    assertThat(s.status()).isEqualTo(NodeStateStatus.EMPTY);
  }

  private void rejects(String yaml, String message) {
    assertThatThrownBy(() -> codec.read(yaml))
        .isInstanceOf(NodeStateFormatException.class)
        .hasMessage(message);
  }

  private static String withSpec(String spec) {
    return "apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodeState\n"
        + "metadata:\n  name: n\nspec:\n"
        + spec;
  }

  @Test
  void rejectsWhatIsNotASriovNetworkNodeState() {
    rejects("", "empty document: expected a SriovNetworkNodeState");
    rejects("- a\n- b\n", "expected a SriovNetworkNodeState object, got a list");
    rejects("a: [b\n", "not a YAML or JSON document: " + yamlError("a: [b\n"));
    rejects(
        "apiVersion: v1\nkind: SriovNetworkNodeState\n",
        "apiVersion \"v1\": expected sriovnetwork.openshift.io/v1");
    rejects(
        "apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodePolicy\n",
        "kind \"SriovNetworkNodePolicy\": expected SriovNetworkNodeState");
    rejects(
        "kind: SriovNetworkNodeState\n", "apiVersion \"\": expected sriovnetwork.openshift.io/v1");
    rejects(
        "apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodeState\nmetadata: x\n",
        "metadata: expected an object, got the string \"x\"");
  }

  private String yamlError(String yaml) {
    try {
      codec.read(yaml);
    } catch (NodeStateFormatException e) {
      assertThat(e.getMessage()).startsWith("not a YAML or JSON document: ");
      return e.getMessage().substring("not a YAML or JSON document: ".length());
    }
    throw new AssertionError("expected a parse error");
  }

  @Test
  void rejectsSpecFieldsOfTheWrongTypeOrUnknown() {
    rejects(withSpec("  interfaces: {}\n"), "spec.interfaces: expected a list, got an object");
    rejects(
        withSpec("  interfaces:\n  - 1\n"),
        "spec.interfaces[0]: expected an object, got the number 1");
    rejects(withSpec("  interfaces:\n  - numVfs: 1\n"), "spec.interfaces[0].pciAddress: required");
    rejects(
        withSpec("  interfaces:\n  - pciAddress: 0000:3b:00.0\n    numVfs: eight\n"),
        "spec.interfaces[0].numVfs: expected an integer, got the string \"eight\"");
    rejects(
        withSpec("  interfaces:\n  - pciAddress: 0000:3b:00.0\n    numVfs: '8'\n"),
        "spec.interfaces[0].numVfs: expected an integer, got the string \"8\"");
    rejects(
        withSpec("  interfaces:\n  - pciAddress: 0000:3b:00.0\n    mtu: 1500.5\n"),
        "spec.interfaces[0].mtu: expected an integer, got the number 1500.5");
    rejects(
        withSpec("  interfaces:\n  - pciAddress: 0000:3b:00.0\n    mtu: 99999999999\n"),
        "spec.interfaces[0].mtu: 99999999999 is out of range");
    rejects(
        withSpec(
            "  interfaces:\n  - pciAddress: 0000:3b:00.0\n    externallyManaged: yes please\n"),
        "spec.interfaces[0].externallyManaged: expected true or false, got the string \"yes please\"");
    rejects(
        withSpec("  interfaces:\n  - pciAddress: 0000:3b:00.0\n    numvfs: 8\n"),
        "spec.interfaces[0]: unknown field \"numvfs\"");
    rejects(
        withSpec("  interfaces:\n  - pciAddress: 1\n"),
        "spec.interfaces[0].pciAddress: expected a string, got the number 1");
    rejects(
        withSpec(
            "  interfaces:\n  - pciAddress: 0000:3b:00.0\n    vfGroups:\n    - resourceName: r\n"
                + "      vfrange: 0-1\n"),
        "spec.interfaces[0].vfGroups[0]: unknown field \"vfrange\"");
    rejects(
        withSpec("  interfaces:\n  - pciAddress: 0000:3b:00.0\n    vfGroups:\n    - isRdma: 1\n"),
        "spec.interfaces[0].vfGroups[0].isRdma: expected true or false, got the number 1");
    rejects(withSpec("  dpConfigVersion: \"3\"\n"), "spec: unknown field \"dpConfigVersion\"");
  }
}
