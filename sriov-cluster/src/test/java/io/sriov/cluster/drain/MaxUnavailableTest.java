package io.sriov.cluster.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MaxUnavailableTest {

  @Test
  void countsPercentagesRoundedDownAndUnlimited() {
    assertThat(MaxUnavailable.of(new IntOrString(2)).slots(10)).hasValue(2);
    assertThat(MaxUnavailable.of(new IntOrString(0)).slots(10)).hasValue(0);
    assertThat(MaxUnavailable.of(new IntOrString("10%")).slots(100)).hasValue(10);
    assertThat(MaxUnavailable.of(new IntOrString("10%")).slots(19)).hasValue(1);
    assertThat(MaxUnavailable.of(new IntOrString("10%")).slots(5)).hasValue(0);
    assertThat(MaxUnavailable.of(new IntOrString("100%")).slots(7)).hasValue(7);
    assertThat(MaxUnavailable.of(null).slots(7)).isEqualTo(OptionalInt.empty());
    assertThat(MaxUnavailable.ONE.slots(0)).hasValue(1);
    assertThat(MaxUnavailable.of(new IntOrString("50%")).describe()).isEqualTo("50%");
    assertThat(MaxUnavailable.of(null).describe()).isEqualTo("unlimited");
  }

  @Test
  void invalidValuesCarryUpstreamsMessages() {
    assertThatThrownBy(() -> MaxUnavailable.of(new IntOrString("two")))
        .hasMessage("invalid type: strings needs to be a percentage");
    assertThatThrownBy(() -> MaxUnavailable.of(new IntOrString("0%")))
        .hasMessage("invalid value: percentage needs to be between 1 and 100");
    assertThatThrownBy(() -> MaxUnavailable.of(new IntOrString("101%")))
        .hasMessage("invalid value: percentage needs to be between 1 and 100");
    assertThatThrownBy(() -> MaxUnavailable.of(new IntOrString("x%")))
        .hasMessage("invalid value \"x%\": not an integer: \"x\"");
    assertThatThrownBy(() -> MaxUnavailable.of(new IntOrString(-1)))
        .hasMessage("negative number is not allowed");
  }

  @Test
  void poolsDescribeThemselves() {
    assertThat(DrainPool.defaultPool(3).describe())
        .isEqualTo("default pool (maxUnavailable 1 of 3 nodes = 1)");
    assertThat(new DrainPool("w", MaxUnavailable.of(null), 1).describe())
        .isEqualTo("pool w (maxUnavailable unlimited of 1 node)");
  }
}
