package io.sriov.core.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Dns1123Test {
  @Test
  void subdomainsAreDottedLabels() {
    assertThat(Dns1123.subdomainProblem("worker-1.example.com")).isNull();
    assertThat(Dns1123.subdomainProblem("a".repeat(253))).isNull();
    assertThat(Dns1123.subdomainProblem("a".repeat(254))).isEqualTo("longer than 253 characters");
    assertThat(Dns1123.subdomainProblem("a..b"))
        .isEqualTo("empty label (a DNS-1123 subdomain like example.com is expected)");
    assertThat(Dns1123.subdomainProblem("-a"))
        .isEqualTo("labels must start and end with a lower-case letter or digit");
    assertThat(Dns1123.subdomainProblem("Node"))
        .isEqualTo("\"N\" is not allowed (lower-case letters, digits, '-' and '.' only)");
    assertThat(Dns1123.subdomainProblem("")).isEqualTo("must not be empty");
  }

  @Test
  void labelsHaveNoDotAndAtMost63Characters() {
    assertThat(Dns1123.labelProblem("sriov-network-operator")).isNull();
    assertThat(Dns1123.labelProblem("a".repeat(63))).isNull();
    assertThat(Dns1123.labelProblem("a".repeat(64))).isEqualTo("longer than 63 characters");
    assertThat(Dns1123.labelProblem("kube.system"))
        .isEqualTo("'.' is not allowed (lower-case letters, digits and '-' only)");
    assertThat(Dns1123.labelProblem("ns-"))
        .isEqualTo("labels must start and end with a lower-case letter or digit");
  }
}
