package io.sriov.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sriov.daemon.state.NodeStateCodec;
import io.sriov.daemon.state.NodeStateFormatException;
import org.junit.jupiter.api.Test;

/**
 * The cluster's node state and the engine's are one model: conversion keeps every field, and the
 * JSON the Kubernetes client writes is the engine codec's.
 */
class NodeStateConversionTest {
  private final KubernetesSerialization k8s = new KubernetesSerialization();
  private final NodeStateCodec codec = new NodeStateCodec();

  @Test
  void engineToClusterToJsonAndBackKeepsEverything() {
    io.sriov.daemon.state.SriovNetworkNodeState engine =
        NodeStateConversion.toEngine(NodeStateFixtures.everyField());

    String json = k8s.asJson(NodeStateConversion.fromEngine(engine));
    SriovNetworkNodeState back = k8s.unmarshal(json, SriovNetworkNodeState.class);

    assertThat(NodeStateConversion.toEngine(back)).isEqualTo(engine);
    assertThat(back.getMetadata().getName()).isEqualTo("worker-0");
    assertThat(back.getMetadata().getAnnotations())
        .containsEntry(SriovNetworkNodeState.DESIRED_STATE_ANNOTATION, "Idle");
  }

  @Test
  void theClientWritesWhatTheEngineCodecWrites() {
    SriovNetworkNodeState cluster = NodeStateFixtures.everyField();
    String fromClient = k8s.asJson(cluster);
    String fromCodec = codec.toJson(NodeStateConversion.toEngine(cluster));
    assertThat(k8s.unmarshal(fromClient, java.util.Map.class))
        .isEqualTo(k8s.unmarshal(fromCodec, java.util.Map.class));
  }

  @Test
  void aFileModeDocumentReadsAsTheClusterObject() {
    String yaml = codec.toYaml(NodeStateConversion.toEngine(NodeStateFixtures.everyField()));
    SriovNetworkNodeState cluster = k8s.unmarshal(yaml, SriovNetworkNodeState.class);
    assertThat(NodeStateConversion.toEngine(cluster)).isEqualTo(codec.read(yaml));
  }

  @Test
  void anUnknownSpecFieldFromTheServerIsAnErrorNamingIt() {
    String json =
        """
        {"apiVersion":"sriovnetwork.openshift.io/v1","kind":"SriovNetworkNodeState",
         "metadata":{"name":"w"},
         "spec":{"interfaces":[{"pciAddress":"0000:3b:00.0","numvfs":4}]}}
        """;
    assertThatThrownBy(() -> k8s.unmarshal(json, SriovNetworkNodeState.class))
        .hasRootCauseInstanceOf(NodeStateFormatException.class)
        .rootCause()
        .hasMessage("spec.interfaces[0]: unknown field \"numvfs\"");
  }

  @Test
  void absentSpecAndStatusAreEmptyNotNull() {
    SriovNetworkNodeState s =
        k8s.unmarshal(
            "{\"apiVersion\":\"sriovnetwork.openshift.io/v1\",\"kind\":\"SriovNetworkNodeState\","
                + "\"metadata\":{\"name\":\"w\"}}",
            SriovNetworkNodeState.class);
    assertThat(s.getSpec().interfaces()).isEmpty();
    assertThat(s.getStatus().syncStatus()).isEmpty();
  }
}
