package io.sriov.deviceplugin.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.PciAddress;
import io.sriov.node.DefaultRouteLinks;
import io.sriov.node.ForwardingNode;
import io.sriov.node.Node;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --dry-run} shows each device's netdev and, where the discovery reported them (netlink on a
 * real node), its altnames, also for a device excluded as the uplink.
 */
class DryRunAltNamesTest {

  /** The simulated node, its netdevs given altnames as NetlinkDetailsDiscovery would. */
  private static final class WithAltNames extends ForwardingNode implements DeviceDiscovery {
    private final Map<String, List<String>> altNames;
    private final String uplink;

    WithAltNames(Node node, Map<String, List<String>> altNames, String uplink) {
      super(node);
      this.altNames = altNames;
      this.uplink = uplink;
    }

    private DeviceDiscovery.Result named(DeviceDiscovery.Result r) {
      return new DeviceDiscovery.Result(
          r.devices().stream().map(this::named).toList(), r.skipped());
    }

    private Device named(Device d) {
      if (d instanceof PciNetDevice n
          && n.netdev().isPresent()
          && altNames.containsKey(n.netdev().get().name().value())) {
        return n.withNetdev(
            Optional.of(
                n.netdev().get().withAltNames(altNames.get(n.netdev().get().name().value()))));
      }
      return d;
    }

    @Override
    public Result discoverAll() {
      return named(delegate().discovery().discoverAll());
    }

    @Override
    public Result discoverPf(PciAddress pf) {
      return named(delegate().discovery().discoverPf(pf));
    }

    @Override
    public DeviceDiscovery discovery() {
      return this;
    }

    @Override
    public DefaultRouteLinks defaultRouteLinks() {
      return () -> Set.of(uplink);
    }
  }

  @Test
  void devicesAndTheExcludedUplinkShowTheirNetdevAndAltNames() throws Exception {
    Map<String, List<String>> altNames = new HashMap<>();
    altNames.put("ens1f0v0", List.of("enp60s0", "vf-zero"));
    altNames.put("ens1f0v1", List.of("uplink-alt"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DevicePluginApp.run(
            List.of("--simulated-node", "--dry-run"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            cmd -> new WithAltNames(NodeFactory.DEFAULT.open(cmd), altNames, "ens1f0v1"));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toByteArray());

    Map<String, JsonNode> devices = new HashMap<>();
    doc.get("resources")
        .forEach(r -> r.get("devices").forEach(d -> devices.put(d.get("id").asText(), d)));
    JsonNode vf0 = devices.get("0000:3c:00.0");
    assertThat(vf0.get("netdev").asText()).isEqualTo("ens1f0v0");
    assertThat(vf0.get("altNames").toString()).isEqualTo("[\"enp60s0\",\"vf-zero\"]");
    JsonNode vf2 = devices.get("0000:3c:00.2");
    assertThat(vf2.get("netdev").asText()).isEqualTo("ens1f0v2");
    assertThat(vf2.has("altNames")).as("no altnames, no key").isFalse();
    assertThat(devices).doesNotContainKey("0000:3c:00.1");

    assertThat(doc.get("excluded").toString())
        .isEqualTo(
            "[{\"id\":\"0000:3c:00.1\",\"netdev\":\"ens1f0v1\",\"altNames\":[\"uplink-alt\"],"
                + "\"reason\":\"carries the IPv4 default route\"}]");
  }
}
