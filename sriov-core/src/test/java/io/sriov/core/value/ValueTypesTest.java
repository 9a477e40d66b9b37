package io.sriov.core.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {

  // ---- PciAddress

  @Test
  void pciAddressParsesAndPrintsTheCanonicalForm() {
    PciAddress a = PciAddress.parse("0000:af:06.7");

    assertThat(a).isEqualTo(new PciAddress(0, 0xaf, 6, 7));
    assertThat(a).hasToString("0000:af:06.7");
    assertThat(PciAddress.parse("ffff:ff:1f.7")).hasToString("ffff:ff:1f.7");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "../x | PCI address \"../x\": expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)",
        "0000:af:06.0/.. | PCI address \"0000:af:06.0/..\": expected the form dddd:bb:dd.f (e.g."
            + " 0000:af:06.0)",
        "0000:AF:06.0 | PCI address \"0000:AF:06.0\": 'A' at position 6 is not a lower-case hex"
            + " digit",
        "af:06.0 | PCI address \"af:06.0\": expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)",
        "0000:af:20.0 | PCI address \"0000:af:20.0\": device number must be 00-1f",
        "0000:af:06.8 | PCI address \"0000:af:06.8\": function number must be 0-7",
        "0000-af-06.0 | PCI address \"0000-af-06.0\": expected the form dddd:bb:dd.f (e.g."
            + " 0000:af:06.0)",
        "0000:a/:06.0 | PCI address \"0000:a/:06.0\": '/' at position 7 is not a lower-case hex"
            + " digit",
        "+000:af:06.0 | PCI address \"+000:af:06.0\": '+' at position 1 is not a lower-case hex"
            + " digit",
      })
  void pciAddressRejects(String input, String message) {
    assertThatThrownBy(() -> PciAddress.parse(input))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
    assertThat(PciAddress.isValid(input)).isFalse();
  }

  @Test
  void pciAddressRejectsNullAndOrdersNumerically() {
    assertThatThrownBy(() -> PciAddress.parse(null))
        .hasMessage("PCI address null: expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)");
    assertThat(PciAddress.parse("0000:3b:02.0")).isLessThan(PciAddress.parse("0000:3b:0a.0"));
    assertThat(PciAddress.parse("0001:00:00.0")).isGreaterThan(PciAddress.parse("0000:ff:1f.7"));
  }

  // ---- InterfaceName

  @ParameterizedTest
  @ValueSource(strings = {"ens1f0", "eth0", "a", "enp175s0f1np1", "p0", "net1.100", "x-y_z@1"})
  void interfaceNameAcceptsKernelNames(String s) {
    assertThat(InterfaceName.of(s).value()).isEqualTo(s);
    assertThat(InterfaceName.isValid(s)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | interface name \"\": must not be empty",
        "abcdefghijklmnop | interface name \"abcdefghijklmnop\": longer than 15 bytes",
        ". | interface name \".\": must not be . or ..",
        ".. | interface name \"..\": must not be . or ..",
        "../etc | interface name \"../etc\": must not contain '/'",
        "eth0:1 | interface name \"eth0:1\": must not contain ':'",
        "eth 0 | interface name \"eth 0\": must not contain whitespace or NUL",
      })
  void interfaceNameRejects(String input, String message) {
    assertThatThrownBy(() -> InterfaceName.of(input))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void interfaceNameCountsBytesNotCharacters() {
    assertThat(InterfaceName.isValid("ééééééé")).isTrue(); // 14 bytes
    assertThatThrownBy(() -> InterfaceName.of("éééééééé")) // 16 bytes
        .hasMessage("interface name \"éééééééé\": longer than 15 bytes");
    assertThatThrownBy(() -> InterfaceName.of("a\tb"))
        .hasMessage("interface name \"a\\x09b\": must not contain whitespace or NUL");
  }

  // ---- MacAddress

  @Test
  void macAddressParsesEitherCaseAndPrintsLowerCase() {
    MacAddress m = MacAddress.parse("02:AB:cd:00:00:01");

    assertThat(m).hasToString("02:ab:cd:00:00:01");
    assertThat(m).isEqualTo(MacAddress.of(new byte[] {2, (byte) 0xab, (byte) 0xcd, 0, 0, 1}));
    assertThat(m.isZero()).isFalse();
    assertThat(m.isMulticast()).isFalse();
    assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
    assertThat(MacAddress.ZERO.isZero()).isTrue();
  }

  @Test
  void macAddressBytesAreCopied() {
    byte[] raw = {2, 0, 0, 0, 0, 1};
    MacAddress m = MacAddress.of(raw);
    raw[0] = 9;
    m.bytes()[1] = 9;

    assertThat(m).hasToString("02:00:00:00:00:01");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "02:00:00:00:00 | MAC address \"02:00:00:00:00\": expected six colon-separated hex octets"
            + " (e.g. 02:00:00:00:00:01)",
        "02-00-00-00-00-01 | MAC address \"02-00-00-00-00-01\": expected six colon-separated hex"
            + " octets (e.g. 02:00:00:00:00:01)",
        "02:00:00:00:00:0g | MAC address \"02:00:00:00:00:0g\": octet 6 is not hex",
        "\uff10\uff12:00:00:00:00:01 | MAC address \"\uff10\uff12:00:00:00:00:01\": octet 1 is not hex",
      })
  void macAddressRejects(String input, String message) {
    assertThatThrownBy(() -> MacAddress.parse(input))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void macAddressRejectsWrongByteCount() {
    assertThatThrownBy(() -> MacAddress.of(new byte[5]))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("MAC address must be 6 bytes, got 5");
  }

  // ---- PciId

  @ParameterizedTest
  @CsvSource({"8086,8086", "0x8086,8086", "15B3,15b3", "1,0001", "0X154c,154c"})
  void pciIdParsesSelectorAndSysfsForms(String input, String printed) {
    assertThat(PciId.parse(input)).hasToString(printed);
  }

  @Test
  void pciIdPrintsFourLowerCaseDigitsForEveryValue() {
    for (int v = 0; v <= 0xffff; v++) {
      assertThat(new PciId(v).toString())
          .isEqualTo(String.format(java.util.Locale.ROOT, "%04x", v));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | PCI ID \"\": expected 1-4 hex digits (e.g. 8086)",
        "0x | PCI ID \"0x\": expected 1-4 hex digits (e.g. 8086)",
        "18086 | PCI ID \"18086\": expected 1-4 hex digits (e.g. 8086)",
        "80g6 | PCI ID \"80g6\": 'g' is not a hex digit",
        "\u0668\u0660\u0668\u0666 | PCI ID \"\u0668\u0660\u0668\u0666\": '\u0668' is not a hex digit",
      })
  void pciIdRejects(String input, String message) {
    assertThatThrownBy(() -> PciId.parse(input))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  // ---- VfIndex, DriverName

  @Test
  void vfIndexAndDriverNameBounds() {
    assertThat(VfIndex.of(0)).isLessThan(VfIndex.of(1));
    assertThatThrownBy(() -> VfIndex.of(-1))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("VF index out of range 0-65534: -1");
    assertThat(DriverName.of("vfio-pci").isUserspaceDriver()).isTrue();
    assertThat(DriverName.of("iavf").isUserspaceDriver()).isFalse();
    assertThatThrownBy(() -> DriverName.of(".."))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("driver name \"..\": must not be . or ..");
  }
}
