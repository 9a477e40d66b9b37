package io.sriov.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"intel_sriov_netdevice", "sriov-a", "10G", "-", "_x_", "A"})
  void resourceNameAcceptsWhatUpstreamAccepts(String s) {
    assertThat(ResourceName.of(s).value()).isEqualTo(s);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sriov.net | resource name \"sriov.net\": \".\" is not allowed (letters, digits, '_' and '-'"
            + " only)",
        "a/b | resource name \"a/b\": \"/\" is not allowed (letters, digits, '_' and '-' only)",
        "ü | resource name \"ü\": \"ü\" is not allowed (letters, digits, '_' and '-' only)",
      })
  void resourceNameRejects(String s, String message) {
    assertThatThrownBy(() -> ResourceName.of(s))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void resourceNameRejectsEmptyAndControlCharacters() {
    assertThatThrownBy(() -> ResourceName.of(""))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("resource name must not be empty");
    assertThatThrownBy(() -> ResourceName.of("a\nb"))
        .hasMessage(
            "resource name \"a\\x0ab\": \"\\x0a\" is not allowed (letters, digits, '_' and '-'"
                + " only)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"intel.com", "nvidia.com", "a", "example-1.io", "0.com"})
  void prefixAcceptsDns1123Subdomains(String s) {
    assertThat(ResourcePrefix.of(s).value()).isEqualTo(s);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Intel.com | resource prefix \"Intel.com\": \"I\" is not allowed (lower-case letters,"
            + " digits, '-' and '.' only)",
        "intel_com | resource prefix \"intel_com\": \"_\" is not allowed (lower-case letters,"
            + " digits, '-' and '.' only)",
        "intel.com/ | resource prefix \"intel.com/\": \"/\" is not allowed (lower-case letters,"
            + " digits, '-' and '.' only)",
        ".intel.com | resource prefix \".intel.com\": empty label (a DNS-1123 subdomain like"
            + " example.com is expected)",
        "intel.com. | resource prefix \"intel.com.\": empty label (a DNS-1123 subdomain like"
            + " example.com is expected)",
        "-intel.com | resource prefix \"-intel.com\": labels must start and end with a lower-case"
            + " letter or digit",
        "intel-.com | resource prefix \"intel-.com\": labels must start and end with a lower-case"
            + " letter or digit",
      })
  void prefixRejects(String s, String message) {
    assertThatThrownBy(() -> ResourcePrefix.of(s))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void prefixRejectsEmptyAndTooLong() {
    assertThatThrownBy(() -> ResourcePrefix.of(""))
        .hasMessage("resource prefix \"\": must not be empty");
    String longPrefix =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(62);
    assertThat(ResourcePrefix.of(longPrefix.substring(0, 253)).value()).hasSize(253);
    assertThatThrownBy(() -> ResourcePrefix.of(longPrefix + "e"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageEndingWith(": longer than 253 characters");
  }

  @ParameterizedTest
  @CsvSource({
    "intel.com,intel_sriov_netdevice,PCIDEVICE_INTEL_COM_INTEL_SRIOV_NETDEVICE",
    "nvidia.com,bf2_sf,PCIDEVICE_NVIDIA_COM_BF2_SF",
    "intel.com,sriov-a,PCIDEVICE_INTEL_COM_SRIOV-A",
    "example-1.io,Dpdk_Nic_1,PCIDEVICE_EXAMPLE-1_IO_DPDK_NIC_1",
  })
  void envNamesAreUpstreams(String prefix, String name, String expected) {
    EnvNames env = EnvNames.of(ResourcePrefix.of(prefix), ResourceName.of(name));

    assertThat(env.devices()).isEqualTo(expected);
    assertThat(env.info()).isEqualTo(expected + "_INFO");
  }
}
