package io.sriov.cluster.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
  static final Map<String, String> NODE = Map.of("zone", "a", "gpu", "yes");

  static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(op)
        .withValues(values)
        .endMatchExpression()
        .build();
  }

  @Test
  void matchLabelsAndExpressions() {
    assertThat(LabelSelectors.matches(new LabelSelector(), NODE)).isTrue();
    assertThat(LabelSelectors.matches((LabelSelector) null, NODE)).isFalse();
    assertThat(
            LabelSelectors.matches(
                new LabelSelectorBuilder().withMatchLabels(Map.of("zone", "a")).build(), NODE))
        .isTrue();
    assertThat(
            LabelSelectors.matches(
                new LabelSelectorBuilder().withMatchLabels(Map.of("zone", "b")).build(), NODE))
        .isFalse();
    assertThat(LabelSelectors.matches(expr("zone", "In", "a", "b"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(expr("zone", "In", "b"), NODE)).isFalse();
    assertThat(LabelSelectors.matches(expr("zone", "NotIn", "b"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(expr("rack", "NotIn", "b"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(expr("gpu", "Exists"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(expr("gpu", "DoesNotExist"), NODE)).isFalse();
  }

  @Test
  void anUnknownOperatorIsAnError() {
    assertThatThrownBy(() -> LabelSelectors.matches(expr("zone", "Gt", "1"), NODE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "label selector operator \"Gt\" for key zone: expected In, NotIn, Exists or DoesNotExist");
  }

  @Test
  void nodeSelectorMapsNeedEveryPair() {
    assertThat(LabelSelectors.matches(Map.of("zone", "a", "gpu", "yes"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(Map.of("zone", "a", "gpu", "no"), NODE)).isFalse();
    assertThat(LabelSelectors.matches(Map.<String, String>of(), NODE)).isTrue();
  }
}
