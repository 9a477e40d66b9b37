package io.sriov.observability.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void reportsEveryFailingCheckByName() {
    AtomicBoolean applied = new AtomicBoolean();
    Health h =
        new Health()
            .add("apply", () -> applied.get() ? Optional.empty() : Optional.of("not yet"))
            .add("device-plugin", () -> Optional.empty());
    assertThat(h.report().ok()).isFalse();
    assertThat(h.report().render()).isEqualTo("apply: not yet\n");
    applied.set(true);
    assertThat(h.report().ok()).isTrue();
    assertThat(h.report().render()).isEqualTo("ok (2 checks)\n");
    assertThat(new Health().report().render()).isEqualTo("ok (0 checks)\n");
  }

  @Test
  void aThrowingCheckFailsWithTheException() {
    Health h =
        new Health()
            .add(
                "loop",
                () -> {
                  throw new IllegalStateException("dead");
                });
    assertThat(h.report().render())
        .isEqualTo("loop: check failed: java.lang.IllegalStateException: dead\n");
  }

  @Test
  void namesAreUnique() {
    Health h = new Health().add("apply", Optional::empty);
    assertThatThrownBy(() -> h.add("apply", Optional::empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("health check \"apply\" is already added");
  }
}
