package io.sriov.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.NodeStateStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java types and the module's CRD documents describe the same API: same group, kind, plural and
 * scope, a status subresource, and exactly the same field names at every level of {@code spec} and
 * {@code status} (a field missing from either side fails).
 */
class CrdSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Class<? extends CustomResource<?, ?>>> kinds() {
    return UpstreamDocsTest.KINDS.values().stream();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void crdNamesAndScopeMatchTheType(Class<? extends CustomResource<?, ?>> type) throws Exception {
    CustomResourceDefinition crd = CrdSchemas.crdFor(type);
    CustomResource<?, ?> instance = type.getDeclaredConstructor().newInstance();
    assertThat(crd.getSpec().getGroup()).isEqualTo(SriovApi.GROUP);
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo(instance.getKind());
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(instance.getPlural());
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getVersions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo(SriovApi.VERSION);
              assertThat(v.getServed()).isTrue();
              assertThat(v.getStorage()).isTrue();
              assertThat(v.getSubresources().getStatus()).isNotNull();
            });
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyCrdFieldIsInTheTypeAndBack(Class<? extends CustomResource<?, ?>> type) {
    if (type == SriovNetworkNodeState.class) {
      return; // the engine's codec writes it; see nodeStateFieldsMatchTheCodec
    }
    JSONSchemaProps schema = CrdSchemas.forKind(type);
    List<String> mismatches = new ArrayList<>();
    for (String section : List.of("spec", "status")) {
      JavaType javaType =
          JSON.getTypeFactory().constructType(type).findSuperType(CustomResource.class);
      JavaType sectionType = javaType.containedType(section.equals("spec") ? 0 : 1);
      compare(schema.getProperties().get(section), sectionType, section, mismatches);
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void nodeStateFieldsMatchTheCodec() {
    JSONSchemaProps schema = CrdSchemas.forKind(SriovNetworkNodeState.class);
    // Paths of a state with every field set, written by the engine's codec.
    Set<String> written = new TreeSet<>();
    paths(JSON.valueToTree(NodeStateFixtures.everyField()), "", written);
    Set<String> inCrd = new TreeSet<>();
    schemaPaths(schema, "", inCrd);
    // The engine keeps bridges and system as read (maps): compare down to their top level.
    inCrd.removeIf(p -> p.matches("\\.(spec|status)\\.(bridges|system)\\..+"));
    written.removeIf(p -> p.matches("\\.(spec|status)\\.(bridges|system)\\..+"));
    // status.conditions: the engine keeps it as read; upstream's CRD has none and the writer sets
    // none.
    inCrd.removeIf(p -> p.startsWith(".metadata") || p.equals(".apiVersion") || p.equals(".kind"));
    written.removeIf(
        p -> p.startsWith(".metadata") || p.equals(".apiVersion") || p.equals(".kind"));
    assertThat(written).isEqualTo(inCrd);
  }

  static void compare(JSONSchemaProps schema, JavaType type, String path, List<String> out) {
    if (schema == null) {
      out.add(path + ": in the type, not in the CRD");
      return;
    }
    if (type.isCollectionLikeType()) {
      compare(schema.getItems().getSchema(), type.getContentType(), path + "[]", out);
      return;
    }
    if (!type.getRawClass().getPackageName().equals(SriovApi.class.getPackageName())) {
      return; // a Kubernetes type (LabelSelector, IntOrString, Condition) or a scalar
    }
    Map<String, JSONSchemaProps> props =
        schema.getProperties() == null ? Map.of() : schema.getProperties();
    List<BeanPropertyDefinition> fields =
        JSON.getSerializationConfig().introspect(type).findProperties();
    Set<String> javaNames = new TreeSet<>();
    for (BeanPropertyDefinition f : fields) {
      javaNames.add(f.getName());
      compare(props.get(f.getName()), f.getPrimaryType(), path + "." + f.getName(), out);
    }
    for (String crdName : props.keySet()) {
      if (!javaNames.contains(crdName)) {
        out.add(path + "." + crdName + ": in the CRD, not in the type");
      }
    }
  }

  static void paths(com.fasterxml.jackson.databind.JsonNode n, String path, Set<String> out) {
    if (n.isObject()) {
      n.fields()
          .forEachRemaining(
              e -> {
                out.add(path + "." + e.getKey());
                paths(e.getValue(), path + "." + e.getKey(), out);
              });
    } else if (n.isArray()) {
      n.forEach(e -> paths(e, path + "[]", out));
    }
  }

  static void schemaPaths(JSONSchemaProps s, String path, Set<String> out) {
    if (s.getProperties() != null) {
      s.getProperties()
          .forEach(
              (k, v) -> {
                out.add(path + "." + k);
                schemaPaths(v, path + "." + k, out);
              });
    }
    if (s.getItems() != null && s.getItems().getSchema() != null) {
      schemaPaths(s.getItems().getSchema(), path + "[]", out);
    }
  }

  @Test
  void nodeStateSpecAndStatusAreTheEnginesRecords() {
    JavaType t =
        JSON.getTypeFactory()
            .constructType(SriovNetworkNodeState.class)
            .findSuperType(CustomResource.class);
    assertThat(t.containedType(0).getRawClass()).isEqualTo(NodeStateSpec.class);
    assertThat(t.containedType(1).getRawClass()).isEqualTo(NodeStateStatus.class);
  }
}
