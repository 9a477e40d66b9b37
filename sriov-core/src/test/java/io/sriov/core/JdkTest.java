package io.sriov.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdkTest {
  @Test
  void testsRunOnTheToolchainJdk() {
    System.out.println("jdk=" + Runtime.version());
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
  }
}
