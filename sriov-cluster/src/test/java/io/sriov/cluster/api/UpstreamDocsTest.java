package io.sriov.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sriov.cluster.testing.MockApiServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every {@code sriovnetwork.openshift.io/v1} object in upstream's user documentation
 * (src/test/resources/upstream-docs, copied unchanged from upstream's README and doc/) parses
 * strictly into the Java types (an unknown field fails), loses no non-zero value when written back,
 * and round-trips through the API server with the module's CRDs.
 */
class UpstreamDocsTest {
  /**
   * Upstream doc examples with a field that upstream's own CRD does not define: a real API server
   * rejects them under kubectl's default strict field validation (and prunes the field without it),
   * so they cannot apply unchanged anywhere. The test checks the field is indeed absent from the
   * CRD.
   */
  static final Map<String, String> KNOWN_DOC_ERRORS =
      Map.ofEntries(
          Map.entry("advanced-features-11-sriovnetworknodepolicy.yaml", "pfName"),
          Map.entry("advanced-features-12-sriovoperatorconfig.yaml", "webhookConfig"),
          Map.entry("advanced-features-13-sriovnetwork.yaml", "metaPluginsConfig"),
          Map.entry("advanced-features-14-sriovnetworknodepolicy.yaml", "pfName"),
          Map.entry("advanced-features-15-sriovoperatorconfig.yaml", "metricsConfig"),
          Map.entry("api-sriov-network-api-02-sriovnetwork.yaml", "metaPluginsConfig"),
          Map.entry("api-sriov-network-api-03-sriovnetwork.yaml", "metaPluginsConfig"),
          Map.entry("basic-examples-01-sriovnetworknodepolicy.yaml", "pfName"),
          Map.entry("basic-examples-03-sriovnetworknodepolicy.yaml", "pfName"),
          Map.entry("basic-examples-05-sriovnetworknodepolicy.yaml", "pfName"),
          Map.entry("rdma-configuration-02-sriovnetworknodepolicy.yaml", "pfName"),
          Map.entry("rdma-configuration-03-sriovnetwork.yaml", "metaPluginsConfig"),
          Map.entry("readme-01-sriovnetworknodepolicy.yaml", "pfName"));

  /** An excerpt showing only a status, without metadata.name: no API server accepts it. */
  static final String NAMELESS_EXCERPT = "api-node-policies-api-02-sriovnetworknodestate.yaml";

  static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS =
      Map.of(
          "SriovNetworkNodePolicy", SriovNetworkNodePolicy.class,
          "SriovNetworkNodeState", SriovNetworkNodeState.class,
          "SriovNetwork", SriovNetwork.class,
          "SriovIBNetwork", SriovIBNetwork.class,
          "OVSNetwork", OVSNetwork.class,
          "SriovNetworkPoolConfig", SriovNetworkPoolConfig.class,
          "SriovOperatorConfig", SriovOperatorConfig.class);

  static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static MockApiServer server;

  @BeforeAll
  static void startServer() {
    server = MockApiServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static Stream<String> examples() throws IOException, URISyntaxException {
    Path dir = Path.of(UpstreamDocsTest.class.getResource("/upstream-docs").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  /**
   * The example as a JSON tree, read with YAML 1.2's core schema as fabric8 and kubectl read it
   * ({@code rootDevices: [0000:18:00.1]} is a string, not YAML 1.1's base-60 number).
   */
  static JsonNode read(String name) throws IOException {
    try (var in = UpstreamDocsTest.class.getResourceAsStream("/upstream-docs/" + name)) {
      Object doc =
          new Load(LoadSettings.builder().build())
              .loadFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return STRICT.valueToTree(doc);
    }
  }

  @Test
  void examplesCoverEveryKind() throws Exception {
    List<String> kinds = new ArrayList<>();
    for (String name : examples().toList()) {
      kinds.add(read(name).get("kind").asText());
    }
    assertThat(kinds)
        .hasSizeGreaterThan(50)
        .containsAll(KINDS.keySet().stream().filter(k -> !k.equals("SriovIBNetwork")).toList());
  }

  @ParameterizedTest
  @MethodSource("examples")
  void parsesStrictlyAndKeepsEveryValue(String name) throws Exception {
    JsonNode original = read(name);
    Class<? extends CustomResource<?, ?>> type = KINDS.get(original.get("kind").asText());
    assertThat(type).as("kind of %s", name).isNotNull();

    if (KNOWN_DOC_ERRORS.containsKey(name)) {
      String field = KNOWN_DOC_ERRORS.get(name);
      assertThatThrownBy(() -> STRICT.treeToValue(original, type))
          .isInstanceOf(UnrecognizedPropertyException.class)
          .hasMessageStartingWith("Unrecognized field \"" + field + "\"");
      assertThat(CrdSchemas.allPropertyNames(CrdSchemas.forKind(type)))
          .as("upstream's CRD for %s defines no %s", type.getSimpleName(), field)
          .doesNotContain(field);
      return;
    }
    CustomResource<?, ?> parsed = STRICT.treeToValue(original, type);
    JsonNode written = STRICT.valueToTree(parsed);
    for (String section : List.of("spec", "status")) {
      if (original.has(section)) {
        assertSameNonZeroValues(original.get(section), written.get(section), section, name);
      }
    }
    assertThat(STRICT.treeToValue(written, type).getSpec()).isEqualTo(parsed.getSpec());
  }

  @ParameterizedTest
  @MethodSource("examples")
  void appliesToTheApiServerWithTheCrds(String name) throws Exception {
    if (KNOWN_DOC_ERRORS.containsKey(name)) {
      return;
    }
    KubernetesClient client = server.client();
    JsonNode original = read(name);
    Class<? extends CustomResource<?, ?>> type = KINDS.get(original.get("kind").asText());
    CustomResource<?, ?> parsed = STRICT.treeToValue(original, type);
    // one namespace per example: several examples share a name (default, policy-1, ...)
    String ns = name.substring(0, name.length() - ".yaml".length());
    parsed.getMetadata().setNamespace(ns);
    if (name.equals(NAMELESS_EXCERPT)) {
      assertThatThrownBy(() -> createAndGet(client, type, parsed, ns))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("Required value: name or generateName is required");
      return;
    }
    CustomResource<?, ?> back = createAndGet(client, type, parsed, ns);
    assertThat(back.getSpec()).isEqualTo(parsed.getSpec());
    assertThat(back.getMetadata().getResourceVersion()).isNotBlank();
  }

  static <T extends CustomResource<?, ?>> T createAndGet(
      KubernetesClient client, Class<T> type, Object object, String ns) {
    T created = client.resources(type).inNamespace(ns).resource(type.cast(object)).create();
    return client.resources(type).inNamespace(ns).withName(created.getMetadata().getName()).get();
  }

  /** Every leaf of {@code original} that is not Go's zero value is in {@code written}, equal. */
  static void assertSameNonZeroValues(
      JsonNode original, JsonNode written, String path, String file) {
    if (isZero(original)) {
      return;
    }
    assertThat(written).as("%s: %s dropped", file, path).isNotNull();
    if (original.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = original.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        assertSameNonZeroValues(
            e.getValue(), written.get(e.getKey()), path + "." + e.getKey(), file);
      }
    } else if (original.isArray()) {
      assertThat(written.size()).as("%s: %s", file, path).isEqualTo(original.size());
      for (int i = 0; i < original.size(); i++) {
        assertSameNonZeroValues(original.get(i), written.get(i), path + "[" + i + "]", file);
      }
    } else {
      assertThat(written).as("%s: %s", file, path).isEqualTo(original);
    }
  }

  static boolean isZero(JsonNode n) {
    return n.isNull()
        || (n.isTextual() && n.textValue().isEmpty())
        || (n.isNumber() && n.asDouble() == 0)
        || (n.isBoolean() && !n.booleanValue())
        || (n.isContainerNode() && n.isEmpty());
  }
}
