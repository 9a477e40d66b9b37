package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.NodeStateStatus;
import java.util.List;

/**
 * {@code SriovNetworkNodeState} (name = node name, in the daemons' namespace): the node's rendered
 * desired state ({@code spec}) and what its daemon observed and applied ({@code status}).
 *
 * <p>{@code spec} and {@code status} are the node engine's own model ({@link NodeStateSpec}, {@link
 * NodeStateStatus} of {@code config-daemon}), bound to JSON by the engine's codec, so the cluster
 * and the file mode share one shape; {@link NodeStateConversion} converts whole objects.
 */
@Group(SriovApi.GROUP)
@Version(SriovApi.VERSION)
@Kind("SriovNetworkNodeState")
@Plural("sriovnetworknodestates")
public final class SriovNetworkNodeState extends CustomResource<NodeStateSpec, NodeStateStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;

  /** Drain request written by the daemon ({@code Idle}, {@code Drain_Required}, ...). */
  public static final String DESIRED_STATE_ANNOTATION = SriovApi.GROUP + "/desired-state";

  /** Drain progress ({@code Idle}, {@code Draining}, {@code DrainComplete}). */
  public static final String CURRENT_STATE_ANNOTATION = SriovApi.GROUP + "/current-state";

  /** {@code true} when something else than the daemons drains the node. */
  public static final String USE_EXTERNAL_DRAINER_ANNOTATION =
      SriovApi.GROUP + "/use-external-drainer";

  /** Upstream's stale-state garbage collection deadline (RFC 3339). */
  public static final String KEEP_STATE_UNTIL_ANNOTATION = SriovApi.GROUP + "/keep-state-until";

  @Override
  protected NodeStateSpec initSpec() {
    return NodeStateSpec.of(List.of());
  }

  @Override
  protected NodeStateStatus initStatus() {
    return NodeStateStatus.EMPTY;
  }
}
