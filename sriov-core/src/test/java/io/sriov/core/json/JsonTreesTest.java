package io.sriov.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsATreeAndWritesItBackCompact() throws IOException {
    JsonNode tree = JsonTrees.read(utf8("{ \"b\": [1, true, null], \"a\": {\"x\": \"é\"} }"));

    assertThat(tree.path("b").get(0).intValue()).isEqualTo(1);
    assertThat(tree.path("a").path("x").textValue()).isEqualTo("é");
    assertThat(new String(JsonTrees.write(tree), StandardCharsets.UTF_8))
        .isEqualTo("{\"b\":[1,true,null],\"a\":{\"x\":\"é\"}}");
  }

  @Test
  void emptyInputIsAMissingNode() throws IOException {
    assertThat(JsonTrees.read(new byte[0]).isMissingNode()).isTrue();
    assertThat(JsonTrees.read(utf8("  \n")).isMissingNode()).isTrue();
  }

  @Test
  void notJsonFailsNamingWhere() {
    assertThatThrownBy(() -> JsonTrees.read(utf8("{\"a\": }")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Unexpected character")
        .hasMessageContaining("column: 7");
  }
}
