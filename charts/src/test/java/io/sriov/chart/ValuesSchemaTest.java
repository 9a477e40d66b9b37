package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json: each bad value fails the render with Helm's message naming the value. */
class ValuesSchemaTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          daemon.logLevel             | verbose     | daemon.logLevel: daemon.logLevel must be one of the following: "error", "warn", "info", "debug", "trace"
          daemon.resourcePrefix       | Open_Shift  | daemon.resourcePrefix: Does not match pattern
          daemon.useCdi               | yes         | daemon.useCdi: Invalid type. Expected: boolean, given: string
          metrics.port                | 70000       | metrics.port: Must be less than or equal to 65535
          metrics.serviceMonitor.interval | 30 seconds | metrics.serviceMonitor.interval: Does not match pattern
          hostPaths.kubelet           | var/lib/kubelet | hostPaths.kubelet: Does not match pattern '^/[^\\s]*$'
          hostPaths.cniRuntime        | opt/sriov-node | hostPaths.cniRuntime: Does not match pattern
          nodeSelector.zone           | 3           | nodeSelector.zone: Invalid type. Expected: string, given: integer
          updateStrategy.maxUnavailable | 0         | updateStrategy.maxUnavailable: Must validate one and only one schema (oneOf)
          operatorConfig.disableDrain | sometimes   | operatorConfig.disableDrain: Invalid type. Expected: boolean, given: string
          operatorConfig.logLevel     | 3           | operatorConfig.logLevel: Must be less than or equal to 2
          admissionPolicy.validationActions[0] | Block | admissionPolicy.validationActions.0: admissionPolicy.validationActions.0 must be one of the following: "Deny", "Warn", "Audit"
          daemon.logLvl               | info        | daemon: Additional property logLvl is not allowed
          terminationGracePeriodSeconds | 5         | terminationGracePeriodSeconds: Must be greater than or equal to 35
          """)
  void rejectsWithAMessageNamingTheValue(String key, String value, String message) {
    Object typed = value.matches("-?[0-9]+") ? Integer.valueOf(value) : value;
    assertThatThrownBy(() -> RenderedChart.template(RenderedChart.chartDir(), Map.of(key, typed)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("values don't meet the specifications of the schema(s)")
        .hasMessageContaining("sriov-node:")
        .hasMessageContaining("- " + message);
  }
}
