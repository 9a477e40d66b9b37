package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The daemon's class path (here: this module's test class path, with sriov-cni's jar as the library
 * it is) brings exactly one SLF4J provider, slf4j-simple: the standalone CNI plugin's slf4j-nop
 * stays in its own launcher's class path (bin/cni/sriov), so no discard-all logger and no {@code
 * slf4j.provider} override.
 */
class DaemonLoggingTest {
  @Test
  void loggingGoesToSlf4jSimpleWithoutAProviderOverride() {
    assertThat(System.getProperty("slf4j.provider")).isNull();
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("org.slf4j.simple.SimpleLoggerFactory");
    assertThat(ClassLoader.getSystemResource("org/slf4j/nop/NOPServiceProvider.class")).isNull();
  }
}
