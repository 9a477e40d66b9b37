package io.sriov.deviceplugin.allocate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  @Test
  void escapesAsGoEncodingJsonDoes() {
    StringBuilder b = new StringBuilder();
    GoJson.string(b, "a\"b\\c\n<x>&\u0001\u2028");
    assertThat(b.toString()).isEqualTo("\"a\\\"b\\\\c\\n\\u003cx\\u003e\\u0026\\u0001\\u2028\"");
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
    GoJson.nested(b, m);
    assertThat(b.toString())
        .isEqualTo("{\"generic\":{\"deviceID\":\"x\"},\"z\":{\"a\":\"1\",\"b\":\"2\"}}");
  }
}
