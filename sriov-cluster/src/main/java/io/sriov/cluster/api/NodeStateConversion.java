package io.sriov.cluster.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one conversion between the cluster's {@link SriovNetworkNodeState} and the node engine's
 * {@link io.sriov.daemon.state.SriovNetworkNodeState}: both carry the same {@code spec} and {@code
 * status} records; only {@code metadata} changes form (fabric8's {@link ObjectMeta} here, a plain
 * map in the engine, which never talks to the API server).
 */
public final class NodeStateConversion {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private NodeStateConversion() {}

  /** The engine's view of {@code state}. */
  public static io.sriov.daemon.state.SriovNetworkNodeState toEngine(SriovNetworkNodeState state) {
    Map<String, Object> metadata =
        state.getMetadata() == null
            ? Map.of()
            : new LinkedHashMap<>(JSON.convertValue(state.getMetadata(), MAP));
    return new io.sriov.daemon.state.SriovNetworkNodeState(
        io.sriov.daemon.state.SriovNetworkNodeState.API_VERSION,
        io.sriov.daemon.state.SriovNetworkNodeState.KIND,
        metadata,
        state.getSpec(),
        state.getStatus());
  }

  /** The cluster object for the engine's {@code state}. */
  public static SriovNetworkNodeState fromEngine(
      io.sriov.daemon.state.SriovNetworkNodeState state) {
    SriovNetworkNodeState out = new SriovNetworkNodeState();
    out.setMetadata(JSON.convertValue(state.metadata(), ObjectMeta.class));
    out.setSpec(state.spec());
    out.setStatus(state.status());
    return out;
  }
}
