package io.sriov.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delaysArePositiveWithTheInitialNotAboveTheMaximum() {
    Backoff b = new Backoff(new Backoff.Delays(Duration.ofSeconds(2), Duration.ofSeconds(3)));
    b.failed("x", 0);
    b.failed("x", 0);
    assertThat(b.delay()).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> new Backoff.Delays(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff delays must be positive and initial <= max: PT0S, PT1S");
    assertThatThrownBy(() -> new Backoff.Delays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff delays must be positive and initial <= max: PT2S, PT1S");
  }

  @Test
  void doublesUpToTheMaximumAndReportsOnlyChangedErrors() {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    assertThat(b.due(0)).isTrue();
    assertThat(b.failed("EADDRINUSE", 0)).isTrue();
    assertThat(b.delay()).isEqualTo(Duration.ofMillis(500));
    assertThat(b.due(Duration.ofMillis(499).toNanos())).isFalse();
    assertThat(b.due(Duration.ofMillis(500).toNanos())).isTrue();
    assertThat(b.failed("EADDRINUSE", 0)).isFalse();
    assertThat(b.delay()).isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 40; i++) {
      b.failed("EADDRINUSE", 0);
    }
    assertThat(b.delay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.failed("ENOENT", 0)).isTrue();
    assertThat(b.succeeded()).isEqualTo(43);
    assertThat(b.due(0)).isTrue();
    assertThat(b.failed("ENOENT", 0)).isTrue();
  }
}
