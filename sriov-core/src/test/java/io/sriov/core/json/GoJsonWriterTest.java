package io.sriov.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Expected bytes are what Go 1.22+ {@code json.Marshal} prints for the same values. */
class GoJsonWriterTest {

  private static String string(String s) {
    StringBuilder b = new StringBuilder();
    GoJsonWriter.string(b, s);
    return b.toString();
  }

  @Test
  void escapesAsGoEncodingJsonDoes() {
    assertThat(string("a\"b\\c\n<x>&\u0001\u2028"))
        .isEqualTo("\"a\\\"b\\\\c\\n\\u003cx\\u003e\\u0026\\u0001\\u2028\"");
  }

  @Test
  void backspaceAndFormFeedAreShortEscapesSinceGo122() {
    assertThat(string("\b\f\r\t\u001f\u007f")).isEqualTo("\"\\b\\f\\r\\t\\u001f\u007f\"");
  }

  @Test
  void unpairedSurrogatesBecomeTheReplacementCharacterAndPairsStay() {
    assertThat(string("a\uD800b\uDC00\uD83D\uDE00")).isEqualTo("\"a\\ufffdb\\ufffd\uD83D\uDE00\"");
    assertThat(string("\uD83D")).isEqualTo("\"\\ufffd\"");
  }

  @Test
  void sortsKeysAtBothLevels() {
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    Map<String, String> z = new LinkedHashMap<>();
    z.put("b", "2");
    z.put("a", "1");
    m.put("z", z);
    m.put("generic", Map.of("deviceID", "x"));
    StringBuilder b = new StringBuilder();
    GoJsonWriter.nestedStringMap(b, m);
    assertThat(b.toString())
        .isEqualTo("{\"generic\":{\"deviceID\":\"x\"},\"z\":{\"a\":\"1\",\"b\":\"2\"}}");
  }

  @Test
  void sortsKeysByUtf8BytesAsGoDoes() {
    // U+FF01 is EF BC 81 in UTF-8, U+1F600 is F0 9F 98 80: Go puts U+FF01 first although
    // String.compareTo (UTF-16: FF01 vs D83D) would put it last. "B" < "a" < "ab" byte-wise.
    Map<String, String> m = new LinkedHashMap<>();
    m.put("\uD83D\uDE00", "1");
    m.put("\uFF01", "2");
    m.put("ab", "3");
    m.put("a", "4");
    m.put("B", "5");
    StringBuilder b = new StringBuilder();
    GoJsonWriter.stringMap(b, m);
    assertThat(b.toString())
        .isEqualTo(
            "{\"B\":\"5\",\"a\":\"4\",\"ab\":\"3\",\"\uFF01\":\"2\",\"\uD83D\uDE00\":\"1\"}");
  }

  @Test
  void emptyMapsAreEmptyObjects() {
    StringBuilder b = new StringBuilder();
    GoJsonWriter.nestedStringMap(b, Map.of());
    GoJsonWriter.stringMap(b, Map.of());
    assertThat(b.toString()).isEqualTo("{}{}");
  }

  @Test
  void aMapAlreadyInKeyOrderIsWrittenAsItIs() {
    TreeMap<String, String> m = new TreeMap<>(GoJsonWriter.KEY_ORDER);
    m.put("\uD83D\uDE00", "1");
    m.put("\uFF01", "2");
    StringBuilder b = new StringBuilder();
    GoJsonWriter.stringMap(b, m);
    assertThat(b.toString()).isEqualTo("{\"\uFF01\":\"2\",\"\uD83D\uDE00\":\"1\"}");
  }

  @Test
  void marshalIndentAsGo() throws Exception {
    // Go: json.MarshalIndent(struct{A string; B []int; C struct{}; D []string; E map..}, "", "
    // ")
    com.fasterxml.jackson.databind.JsonNode n =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                "{\"a\":\"x<y\",\"b\":[1,2],\"c\":{},\"d\":[],\"e\":{\"f\":true,\"g\":null}}");
    assertThat(GoJsonWriter.marshalIndent(n, "    "))
        .isEqualTo(
            """
            {
                "a": "x\\u003cy",
                "b": [
                    1,
                    2
                ],
                "c": {},
                "d": [],
                "e": {
                    "f": true,
                    "g": null
                }
            }""");
  }
}
