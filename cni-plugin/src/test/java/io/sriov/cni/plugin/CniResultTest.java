package io.sriov.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.value.IpPrefix;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CniResultTest {

  private static CniResult read(String json) {
    return ResultCodec.parse(json.getBytes(StandardCharsets.UTF_8), "test result");
  }

  private static String text(CniResult.Route r) {
    return r.dst().compact() + r.gw().map(g -> " via " + IpPrefix.format(g)).orElse("");
  }

  @Test
  void routeWithoutGatewayTakesTheFirstGatewayOfItsFamily() {
    CniResult r =
        read(
            """
            {"cniVersion": "1.1.0",
             "ips": [{"address": "10.1.2.3/24"},
                     {"address": "10.1.3.3/24", "gateway": "10.1.3.1"},
                     {"address": "10.1.4.3/24", "gateway": "10.1.4.1"},
                     {"address": "fd00::5/64", "gateway": "fd00::1"}],
             "routes": [{"dst": "0.0.0.0/0"}, {"dst": "10.9.0.0/16", "gw": "10.1.4.1",
                         "priority": 10, "table": 100},
                        {"dst": "10.8.0.0/16", "priority": 5, "table": 101},
                        {"dst": "::/0"}]}
            """);
    assertThat(r.routesWithDefaultGateways())
        .extracting(CniResultTest::text)
        .containsExactly(
            "0.0.0.0/0 via 10.1.3.1",
            "10.9.0.0/16 via 10.1.4.1",
            "10.8.0.0/16 via 10.1.3.1",
            "::/0 via fd00::1");
    CniResult.Route kept = r.routesWithDefaultGateways().get(2);
    assertThat(kept.priority()).hasValue(5);
    assertThat(kept.table()).hasValue(101);
  }

  @Test
  void withoutAGatewayOfItsFamilyTheRouteStaysOnLink() {
    CniResult r =
        read(
            """
            {"cniVersion": "1.1.0",
             "ips": [{"address": "10.1.2.3/24", "gateway": "10.1.2.1"}, {"address": "fd00::5/64"}],
             "routes": [{"dst": "::/0"}]}
            """);
    assertThat(r.routesWithDefaultGateways())
        .extracting(CniResultTest::text)
        .containsExactly("::/0");
  }
}
