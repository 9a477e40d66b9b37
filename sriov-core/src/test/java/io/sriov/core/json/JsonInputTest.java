package io.sriov.core.json;

import static io.sriov.core.json.GoStructTest.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sriov.core.value.PciAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonInputTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}              | an object",
        "[]              | an array",
        "\"x\"           | a string",
        "1               | a number",
        "1.5             | a number",
        "true            | a boolean",
        "null            | null",
      })
  void kindNamesEveryJsonType(String json, String kind) {
    assertThat(input(json).kind()).isEqualTo(kind);
  }

  @Test
  void kindOfANonJsonNodeNamesItsType() {
    assertThat(JsonInput.kind(JsonNodeFactory.instance.binaryNode(new byte[] {1})))
        .isEqualTo("a binary value");
  }

  @Test
  void errorsAtTheRootHaveNoPath() {
    assertThatThrownBy(() -> input("[]").struct("an object with a list", List.of(), null))
        .isInstanceOf(JsonBindException.class)
        .hasMessage("expected an object with a list, got an array")
        .extracting(e -> ((JsonBindException) e).path())
        .isEqualTo("");
    assertThatThrownBy(() -> input("{}").items("an array of things"))
        .hasMessage("expected an array of things, got an object");
    assertThatThrownBy(() -> input("[]").entries("a map"))
        .hasMessage("expected a map, got an array");
  }

  @Test
  void integerAcceptsOnlyWholeNumbersThatFitAnInt() {
    assertThat(input("4094").integer()).isEqualTo(4094);
    assertThat(input("-1").integer()).isEqualTo(-1);
    // Go refuses a fraction or an exponent form for an int field, and converts no string.
    assertThatThrownBy(() -> input("1.5").integer())
        .hasMessage("expected an integer, got the number 1.5");
    assertThatThrownBy(() -> input("1e2").integer())
        .hasMessage("expected an integer, got the number 100.0");
    assertThatThrownBy(() -> input("\"100\"").integer())
        .hasMessage("expected an integer, got a string");
    assertThatThrownBy(() -> input("4294967296").integer())
        .hasMessage("integer 4294967296 out of range");
  }

  @Test
  void stringAndBoolAcceptOnlyTheirType() {
    assertThat(input("\"8086\"").string()).isEqualTo("8086");
    assertThat(input("false").bool()).isFalse();
    // Go converts neither a number to a string nor a string to a boolean.
    assertThatThrownBy(() -> input("8086").string()).hasMessage("expected a string, got a number");
    assertThatThrownBy(() -> input("\"true\"").bool())
        .hasMessage("expected true or false, got a string");
    assertThatThrownBy(() -> input("null").string()).hasMessage("expected a string, got null");
  }

  @Test
  void aValueTypesRefusalBecomesAnErrorAtThePath() {
    JsonInput v = input("{\"a\": [\"0000:3b:02.0\", \"3b:02.8\"]}").entries("a map").get("a");

    assertThatThrownBy(() -> v.stringsAs(PciAddress::parse))
        .isInstanceOf(JsonBindException.class)
        .hasMessage(
            "a[1]: PCI address \"3b:02.8\": expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)");
    assertThat(v.items("an array").get(0).as(PciAddress::parse))
        .isEqualTo(PciAddress.parse("0000:3b:02.0"));
  }

  @Test
  void onlyIllegalArgumentIsTranslated() {
    JsonInput v = input("\"x\"");
    assertThatThrownBy(
            () ->
                v.as(
                    s -> {
                      throw new IllegalStateException("a bug");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a bug");
  }

  @Test
  void itemsCarryTheirIndex() {
    assertThat(input("{\"l\": [1, 2]}").entries("a map").get("l").items("an array"))
        .extracting(JsonInput::path)
        .containsExactly("l[0]", "l[1]");
  }
}
