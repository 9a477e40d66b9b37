package io.sriov.cluster.select;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label-selector semantics on a node's labels, as the API server applies them to a
 * {@code labelSelector} query: every {@code matchLabels} pair and every {@code matchExpressions}
 * requirement ({@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}) must hold. An empty
 * selector matches every node; a {@code null} selector matches none (as upstream's pool lookup).
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  /** Whether {@code selector} selects a node with {@code labels}. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> matchLabels =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    for (LabelSelectorRequirement r : expressions) {
      if (!holds(r, labels)) {
        return false;
      }
    }
    return true;
  }

  /** Whether every pair of {@code selector} is a label of the node ({@code nodeSelector} maps). */
  public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String value = labels.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default ->
          throw new IllegalArgumentException(
              "label selector operator \""
                  + r.getOperator()
                  + "\" for key "
                  + r.getKey()
                  + ": expected In, NotIn, Exists or DoesNotExist");
    };
  }
}
