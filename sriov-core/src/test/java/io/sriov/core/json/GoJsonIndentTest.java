package io.sriov.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link GoJsonIndent} against Go's own {@code json.Indent(dst, src, "", " ")}: {@code
 * indent-cases.txt} holds one input per line (as a JSON string literal, so inputs can carry
 * newlines and tabs), {@code indent-cases.golden} Go's answer to each (the indented text or {@code
 * ERROR <Go's message>}), separated by {@code ----} lines. Both were produced by the generator in
 * sriov-cluster's {@code src/test/resources/io/sriov/cluster/nad/generate} with Go 1.19's
 * encoding/json.
 */
class GoJsonIndentTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = GoJsonIndentTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyCaseAnswersAsGoDoes() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> inputs = new ArrayList<>();
    for (String line : resource("indent-cases.txt").split("\n")) {
      inputs.add(json.readValue(line, String.class));
    }
    List<String> golden = Arrays.asList(resource("indent-cases.golden").split("\n----\n", -1));
    assertThat(golden).hasSize(inputs.size() + 1);
    for (int i = 0; i < inputs.size(); i++) {
      String expected = golden.get(i);
      String actual;
      try {
        actual = GoJsonIndent.indent(inputs.get(i), "", "    ");
      } catch (IllegalArgumentException e) {
        actual = "ERROR " + e.getMessage();
      }
      assertThat(actual).as("case %d: %s", i + 1, inputs.get(i)).isEqualTo(expected);
    }
  }

  @Test
  void prefixStartsEveryNewLine() {
    assertThat(GoJsonIndent.indent("{\"a\":[1]}", "> ", "\t"))
        .isEqualTo("{\n> \t\"a\": [\n> \t\t1\n> \t]\n> }");
  }
}
