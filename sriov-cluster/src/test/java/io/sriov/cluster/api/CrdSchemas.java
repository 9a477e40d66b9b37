package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Set;
import java.util.TreeSet;

/** The module's CRDs (as {@link Crds#load()} reads them), looked up by Java type. */
final class CrdSchemas {
  private CrdSchemas() {}

  static CustomResourceDefinition crdFor(Class<? extends CustomResource<?, ?>> type) {
    String name = CustomResource.getCRDName(type);
    return Crds.load().stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no CRD " + name));
  }

  /** The {@code openAPIV3Schema} of the CRD's only version. */
  static JSONSchemaProps forKind(Class<? extends CustomResource<?, ?>> type) {
    return crdFor(type).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  /** Every property name at any depth of {@code schema}. */
  static Set<String> allPropertyNames(JSONSchemaProps schema) {
    Set<String> out = new TreeSet<>();
    collect(schema, out);
    return out;
  }

  private static void collect(JSONSchemaProps s, Set<String> out) {
    if (s == null) {
      return;
    }
    if (s.getProperties() != null) {
      s.getProperties()
          .forEach(
              (k, v) -> {
                out.add(k);
                collect(v, out);
              });
    }
    if (s.getItems() != null) {
      collect(s.getItems().getSchema(), out);
    }
    if (s.getAdditionalProperties() != null) {
      collect(s.getAdditionalProperties().getSchema(), out);
    }
  }
}
