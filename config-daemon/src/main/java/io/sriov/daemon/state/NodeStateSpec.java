package io.sriov.daemon.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/**
 * {@code spec} of a {@code SriovNetworkNodeState}.
 *
 * @param interfaces {@code interfaces[]}: the PFs to configure
 * @param bridges {@code bridges} (managed OVS bridges), kept as read; this daemon does not manage
 *     bridges and the validator rejects a non-empty {@code bridges.ovs}
 * @param system {@code system} ({@code rdmaMode}, {@code ovsConfig}), kept as read
 */
@JsonSerialize(using = NodeStateJson.SpecSerializer.class)
@JsonDeserialize(using = NodeStateJson.SpecDeserializer.class)
public record NodeStateSpec(
    List<InterfaceSpec> interfaces, Map<String, Object> bridges, Map<String, Object> system) {

  public NodeStateSpec {
    interfaces = List.copyOf(interfaces);
    bridges = Map.copyOf(bridges);
    system = Map.copyOf(system);
  }

  public static NodeStateSpec of(List<InterfaceSpec> interfaces) {
    return new NodeStateSpec(interfaces, Map.of(), Map.of());
  }
}
