package io.sriov.observability.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextExpositionTest {

  private static String line(long v) {
    TextExposition out = new TextExposition(4);
    out.sample(TextExposition.name("m"), TextExposition.labels(), v);
    return new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
  }

  @Test
  void valuesAreWrittenAsPrometheusWriterWritesADouble() {
    long[] values = {
      0,
      1,
      9,
      10,
      1500,
      -1,
      -9_999_999,
      9_999_999,
      10_000_000,
      123_456_789,
      1L << 53,
      (1L << 53) + 1,
      Long.MAX_VALUE,
      Long.MIN_VALUE
    };
    for (long v : values) {
      assertThat(line(v)).as("value %d", v).isEqualTo("m " + Double.toString((double) v) + "\n");
    }
    assertThat(line(10_000_000)).isEqualTo("m 1.0E7\n");
    assertThat(line(1500)).isEqualTo("m 1500.0\n");
  }

  @Test
  void labelValuesAreEscapedAndNamesKeptInTheGivenOrder() {
    byte[] l = TextExposition.labels("a", "x\\y\"z\nw", "b", "é");
    assertThat(new String(l, StandardCharsets.UTF_8)).isEqualTo("{a=\"x\\\\y\\\"z\\nw\",b=\"é\"} ");
    assertThat(new String(TextExposition.labels(), StandardCharsets.UTF_8)).isEqualTo(" ");
    assertThatThrownBy(() -> TextExposition.labels("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labels must be name/value pairs: 1");
  }

  @Test
  void aFamilyHasItsHelpAndTypeAndTheBufferGrows() {
    TextExposition out = new TextExposition(1);
    out.family("sriov_x", "Devices held by a pod's container.", "gauge");
    out.sample(TextExposition.name("sriov_x"), TextExposition.labels("pod", "p"), 2);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "# HELP sriov_x Devices held by a pod's container.\n"
                + "# TYPE sriov_x gauge\n"
                + "sriov_x{pod=\"p\"} 2.0\n");
  }
}
