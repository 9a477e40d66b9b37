package io.sriov.daemon.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code sriovnetwork.openshift.io/v1} {@code SriovNetworkNodeState} object as {@code kubectl
 * get -o yaml} shows it: the node's desired SR-IOV configuration ({@link #spec}) and what the
 * daemon observed and applied ({@link #status}). Fields follow upstream's Go types ({@code
 * api/v1/sriovnetworknodestate_types.go}) one to one, with Go's zero values for absent ones (empty
 * string, 0, false, empty list), as the API server hands them to upstream's daemon. Read and
 * written by {@link NodeStateCodec}.
 *
 * @param metadata the object's metadata, kept as read (name, namespace, annotations, ...)
 */
public record SriovNetworkNodeState(
    String apiVersion,
    String kind,
    Map<String, Object> metadata,
    NodeStateSpec spec,
    NodeStateStatus status) {

  public static final String API_VERSION = "sriovnetwork.openshift.io/v1";
  public static final String KIND = "SriovNetworkNodeState";

  public SriovNetworkNodeState {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
  }

  /** A new object for {@code nodeName} with an empty status. */
  public static SriovNetworkNodeState of(String nodeName, NodeStateSpec spec) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", nodeName);
    return new SriovNetworkNodeState(API_VERSION, KIND, meta, spec, NodeStateStatus.EMPTY);
  }

  /** {@code metadata.name}: the node name. */
  public Optional<String> name() {
    return metadata.get("name") instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** This object with {@code status} instead. */
  public SriovNetworkNodeState withStatus(NodeStateStatus status) {
    return new SriovNetworkNodeState(apiVersion, kind, metadata, spec, status);
  }
}
