package io.sriov.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sriov.core.value.PciId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The field rules of Go's encoding/json, as {@link GoStruct} applies them. */
class GoStructTest {
  private static final JsonMapper JSON = new JsonMapper();
  private final List<String> unknown = new ArrayList<>();

  private GoStruct bind(String json, String... fields) {
    return input(json).struct("an object", List.of(fields), (path, key) -> unknown.add(path));
  }

  static JsonInput input(String json) {
    try {
      return JsonInput.root(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void keysMatchFieldsIgnoringCase() {
    GoStruct s = bind("{\"ISRDMA\": true, \"Vendors\": [\"8086\"]}", "isRdma", "vendors");

    assertThat(s.flag("isRdma")).isTrue();
    assertThat(s.list("vendors", PciId::parse)).containsExactly(new PciId(0x8086));
    assertThat(s.get("isRdma").orElseThrow().path()).isEqualTo("ISRDMA");
    assertThat(unknown).isEmpty();
  }

  @Test
  void anExactSpellingWinsOverACaseInsensitiveOne() {
    GoStruct s = bind("{\"Name\": \"exact\", \"NAME\": \"folded\"}", "name", "Name");

    assertThat(s.string("Name")).contains("exact");
    // NAME matches no field exactly, so it goes to the first field equal ignoring case.
    assertThat(s.string("name")).contains("folded");
  }

  @Test
  void theLastOfTwoSpellingsOfOneFieldCounts() {
    assertThat(bind("{\"isRdma\": true, \"IsRdma\": false}", "isRdma").flag("isRdma")).isFalse();
    assertThat(bind("{\"IsRdma\": false, \"isRdma\": true}", "isRdma").flag("isRdma")).isTrue();
  }

  @Test
  void nullIsTheSameAsLeavingTheKeyOut() {
    GoStruct s = bind("{\"a\": null, \"b\": \"x\", \"B\": null, \"c\": null}", "a", "b", "c");

    assertThat(s.get("a")).isEmpty();
    assertThat(s.string("b")).isEmpty();
    assertThat(s.flag("c")).isFalse();
    assertThat(s.list("a", PciId::parse)).isEmpty();
    assertThat(s.present()).isEmpty();
  }

  @Test
  void absentFieldsAreGoZeroValues() {
    GoStruct s = bind("{}", "name", "flag", "list");

    assertThat(s.string("name")).isEmpty();
    assertThat(s.flag("flag")).isFalse();
    assertThat(s.list("list", PciId::parse)).isEmpty();
  }

  @Test
  void unknownKeysGoToTheHandlerWithTheirPath() {
    GoStruct s = bind("{\"name\": \"a\", \"vendor\": [], \"x\": null}", "name");

    assertThat(unknown).containsExactly("vendor", "x");
    assertThat(s.present()).containsOnlyKeys("name");
  }

  @Test
  void theHandlerMayRefuseAKey() {
    assertThatThrownBy(
            () ->
                input("{\"a\": {\"bad\": 1}}")
                    .struct("an object", List.of("a"), UnknownKey.IGNORE)
                    .get("a")
                    .orElseThrow()
                    .struct(
                        "an object",
                        List.of(),
                        (path, key) -> {
                          throw new JsonBindException(path, "not allowed");
                        }))
        .isInstanceOf(JsonBindException.class)
        .hasMessage("a.bad: not allowed");
  }

  @Test
  void presentKeepsDocumentOrderUnderCanonicalNames() {
    GoStruct s = bind("{\"B\": \"1\", \"a\": \"2\"}", "a", "b");

    assertThat(s.present().keySet()).containsExactly("b", "a");
  }

  @Test
  void matchFollowsTheSameRule() {
    assertThat(GoStruct.match("Name", List.of("name", "Name"))).contains("Name");
    assertThat(GoStruct.match("nAmE", List.of("name", "Name"))).contains("name");
    assertThat(GoStruct.match("names", List.of("name"))).isEmpty();
  }

  @Test
  void typedGettersNameThePathOfTheBadValue() {
    GoStruct t =
        bind(
            "{\"n\": 1, \"f\": \"yes\", \"l\": \"8086\", \"m\": [\"8086\", 8086]}",
            "n",
            "f",
            "l",
            "m");

    assertThatThrownBy(() -> t.string("n")).hasMessage("n: expected a string, got a number");
    assertThatThrownBy(() -> t.flag("f")).hasMessage("f: expected true or false, got a string");
    assertThatThrownBy(() -> t.list("l", PciId::parse))
        .hasMessage("l: expected an array of strings, got a string");
    assertThatThrownBy(() -> t.list("m", PciId::parse))
        .isInstanceOf(JsonBindException.class)
        .hasMessage("m[1]: expected a string, got a number")
        .satisfies(
            e -> {
              JsonBindException j = (JsonBindException) e;
              assertThat(j.path()).isEqualTo("m[1]");
              assertThat(j.problem()).isEqualTo("expected a string, got a number");
            });
  }

  @Test
  void nestedPathsJoinKeysAndIndexes() {
    JsonInput root = input("{\"resourceList\": [{}, {}, {\"selectors\": {\"vendors\": [8086]}}]}");
    JsonInput third =
        root.struct("an object", List.of("resourceList"), UnknownKey.IGNORE)
            .get("resourceList")
            .orElseThrow()
            .items("an array")
            .get(2);
    GoStruct selectors =
        third
            .struct("an object", List.of("selectors"), UnknownKey.IGNORE)
            .get("selectors")
            .orElseThrow()
            .struct("a selector object", List.of("vendors"), UnknownKey.IGNORE);

    assertThatThrownBy(() -> selectors.list("vendors", PciId::parse))
        .hasMessage("resourceList[2].selectors.vendors[0]: expected a string, got a number");
  }

  @Test
  void entriesAreTheRawKeys() {
    Map<String, JsonInput> e = input("{\"*\": {\"k\": \"v\"}, \"K\": null}").entries("a map");

    assertThat(e).containsOnlyKeys("*", "K");
    assertThat(e.get("*").path()).isEqualTo("*");
    assertThat(e.get("K").node().isNull()).isTrue();
  }
}
