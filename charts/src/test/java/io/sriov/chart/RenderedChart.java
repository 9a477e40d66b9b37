package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart rendered by Helm's own engine ({@code helm template} through helm-java) and every
 * object parsed strictly into fabric8's types: a kind fabric8 does not know, a field its type does
 * not have (at any depth) or a value that does not survive the round trip fails the render.
 */
public final class RenderedChart {
  static final String RELEASE = "sriov";
  static final String NAMESPACE = "sriov-network-operator";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper YAML = new YAMLMapper();

  private final List<HasMetadata> objects;

  private RenderedChart(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  /** The chart's directory (system property {@code chart.dir}, set by the module's pom). */
  public static Path chartDir() {
    return Path.of(System.getProperty("chart.dir", "sriov-node")).toAbsolutePath();
  }

  /** The repository's top directory. */
  public static Path repoDir() {
    return Path.of(System.getProperty("repo.dir", "..")).toAbsolutePath().normalize();
  }

  /** {@code helm template sriov <chart> -n sriov-network-operator --set k=v...}, parsed. */
  public static RenderedChart render(Map<String, Object> set) {
    return parse(template(chartDir(), set));
  }

  /** The raw YAML {@code helm template} prints for {@code chart} with {@code set}. */
  public static String template(Path chart, Map<String, Object> set) {
    TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
    set.forEach(command::set);
    return command.call();
  }

  /** Parses a multi-document YAML stream strictly (see the class comment). */
  public static RenderedChart parse(String yaml) {
    List<HasMetadata> parsed = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
          continue;
        }
        parsed.add(strict(doc));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RenderedChart(parsed);
  }

  private static HasMetadata strict(JsonNode doc) {
    String what = doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
    KubernetesResource resource = SERIALIZATION.unmarshal(doc.toString(), KubernetesResource.class);
    assertThat(resource)
        .as("%s: a kind fabric8 knows (apiVersion %s)", what, doc.path("apiVersion").asText())
        .isInstanceOf(HasMetadata.class)
        .isNotInstanceOf(GenericKubernetesResource.class);
    StrictFields.assertNoUnknownFields(resource, what);
    List<String> lost = new ArrayList<>();
    differences("", reparse(doc.toString()), reparse(SERIALIZATION.asJson(resource)), lost);
    assertThat(lost)
        .as("%s: values that do not survive the round trip through its fabric8 type", what)
        .isEmpty();
    return (HasMetadata) resource;
  }

  /**
   * The paths where {@code b} differs from {@code a}, as "path: a vs b"; numbers compare by value
   * (fabric8 keeps a schema's {@code maximum: 4095} as the double 4095.0).
   */
  static void differences(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a != null && b != null && a.isNumber() && b.isNumber()) {
      if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
        out.add(path + ": " + a + " vs " + b);
      }
    } else if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
      out.add(path + ": " + a + " vs " + b);
    } else if (a.isObject()) {
      java.util.Set<String> names = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        differences(path + "." + n, a.get(n), b.get(n), out);
      }
    } else if (a.isArray()) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        differences(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + a + " vs " + b);
    }
  }

  private static JsonNode reparse(String json) {
    try {
      return YAML.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<HasMetadata> objects() {
    return objects;
  }

  /** The one object of {@code type}; fails when there is none or more than one. */
  public <T extends HasMetadata> T one(Class<T> type) {
    List<T> all = all(type);
    assertThat(all).as("rendered objects of type %s", type.getSimpleName()).hasSize(1);
    return all.get(0);
  }

  public <T extends HasMetadata> Optional<T> find(Class<T> type) {
    List<T> all = all(type);
    assertThat(all).as("rendered objects of type %s", type.getSimpleName()).hasSizeLessThan(2);
    return all.stream().findFirst();
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The kinds rendered, in order. */
  public List<String> kinds() {
    return objects.stream().map(HasMetadata::getKind).toList();
  }

  /** A YAML tree, for values files written by tests. */
  static ObjectNode tree() {
    return YAML.createObjectNode();
  }
}
