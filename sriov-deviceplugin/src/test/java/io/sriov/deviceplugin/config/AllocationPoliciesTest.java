package io.sriov.deviceplugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.deviceplugin.pool.AllocationPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocationPoliciesTest {
  @Test
  void readsThePolicyPerFullResourceName() {
    String json =
        """
        {"resourceList": [
          {"resourceName": "a", "allocationPolicy": "pack", "selectors": {}},
          {"resourceName": "b", "resourcePrefix": "example.org", "allocationPolicy": "spread"},
          {"resourceName": "c"}
        ]}
        """;
    assertThat(AllocationPolicies.read(json, "intel.com"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("intel.com/a", AllocationPolicy.PACK, "example.org/b", AllocationPolicy.SPREAD));
  }

  @Test
  void readsYaml() {
    assertThat(
            AllocationPolicies.read(
                "resourceList:\n- resourceName: a\n  allocationPolicy: pack\n", "intel.com"))
        .containsExactly(Map.entry("intel.com/a", AllocationPolicy.PACK));
  }

  @Test
  void unknownPolicyIsRejectedWithItsPath() {
    String json =
        "{\"resourceList\": [{\"resourceName\": \"a\"}, {\"resourceName\": \"b\", \"allocationPolicy\": \"fill\"}]}";
    assertThatThrownBy(() -> AllocationPolicies.read(json, "intel.com"))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "resourceList[1].allocationPolicy: must be \"spread\" or \"pack\", got \"fill\"");
  }

  @Test
  void nonStringPolicyIsRejectedWithItsPath() {
    String json = "{\"resourceList\": [{\"resourceName\": \"a\", \"allocationPolicy\": 2}]}";
    assertThatThrownBy(() -> AllocationPolicies.read(json, "intel.com"))
        .isInstanceOf(PlanException.class)
        .hasMessage("resourceList[0].allocationPolicy: must be \"spread\" or \"pack\", got 2");
  }

  @Test
  void carrierHealthIsABooleanPerFullResourceName() {
    String json =
        "{\"resourceList\": [{\"resourceName\": \"a\", \"carrierHealth\": false},"
            + " {\"resourceName\": \"b\"}]}";
    assertThat(AllocationPolicies.readCarrierHealth(json, "intel.com"))
        .containsExactly(Map.entry("intel.com/a", false));
    assertThatThrownBy(
            () ->
                AllocationPolicies.readCarrierHealth(
                    "{\"resourceList\": [{\"resourceName\": \"a\", \"carrierHealth\": \"no\"}]}",
                    "intel.com"))
        .isInstanceOf(PlanException.class)
        .hasMessage("resourceList[0].carrierHealth: must be true or false, got \"no\"");
  }
}
