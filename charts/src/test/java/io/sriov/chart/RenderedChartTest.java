package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict parse itself: what it must refuse. */
class RenderedChartTest {

  @Test
  void aFieldTheTypeDoesNotHaveFailsNamingItsPath() {
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: c
              image: i
              volumeMounts:
                - name: v
                  mountPath: /x
                  mountPropagaton: HostToContainer
        """;
    assertThatThrownBy(() -> RenderedChart.parse(yaml))
        .hasMessageContaining("Pod p.spec.containers[0].volumeMounts[0]")
        .hasMessageContaining("mountPropagaton");
  }

  @Test
  void aKindFabric8DoesNotKnowFails() {
    String yaml =
        """
        apiVersion: example.com/v1
        kind: Gadget
        metadata:
          name: g
        """;
    assertThatThrownBy(() -> RenderedChart.parse(yaml))
        .hasMessageContaining("Gadget g: a kind fabric8 knows");
  }

  @Test
  void aValueFabric8WouldCoerceFailsTheRoundTripNamingItsPath() {
    String yaml =
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: s
        spec:
          ports:
            - port: "9808"
        """;
    assertThatThrownBy(() -> RenderedChart.parse(yaml))
        .hasMessageContaining("Service s: values that do not survive the round trip")
        .hasMessageContaining(".spec.ports[0].port: \"9808\" vs 9808");
  }

  @Test
  void numbersCompareByValueAndOtherDifferencesAreNamed() throws Exception {
    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree("{\"max\": 4095, \"list\": [1, \"x\"], \"gone\": true}");
    JsonNode b = m.readTree("{\"max\": 4095.0, \"list\": [1, \"y\"]}");
    List<String> out = new ArrayList<>();
    RenderedChart.differences("", a, b, out);
    assertThat(out).containsExactly(".gone: true vs null", ".list[1]: \"x\" vs \"y\"");
  }
}
