package io.sriov.cluster.render;

import io.sriov.cluster.api.SriovNetworkNodePolicy;
import io.sriov.cluster.api.SriovNetworkPoolConfig;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.api.SriovOperatorConfigSpec;
import io.sriov.cluster.select.LabelSelectors;
import io.sriov.cluster.select.NodePools;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders one node's {@code SriovNetworkNodeState} spec from the cluster's policies, as upstream's
 * policy controller does for every node ({@code syncSriovNetworkNodeState}), but run by the node's
 * own daemon:
 *
 * <ol>
 *   <li>nothing without the {@code default} SriovOperatorConfig (upstream requeues);
 *   <li>a node outside {@code configDaemonNodeSelector} (default {@code
 *       node-role.kubernetes.io/worker=""}, {@code kubernetes.io/os=linux}) gets an empty spec;
 *   <li>{@code system.rdmaMode} from the node's SriovNetworkPoolConfig (none when it is in
 *       several);
 *   <li>the policies whose {@code nodeSelector} selects the node, except the one named {@code
 *       default}, checked as upstream's webhook would ({@link PolicyValidator}); a rejected policy
 *       is left out and reported. Of two conflicting policies the later created one is left out, as
 *       the webhook would have refused it;
 *   <li>the rest applied in upstream's order (priority number descending, then name), each with
 *       "equal priority" set when the previously applied policy had the same priority ({@link
 *       PolicyApplication}).
 * </ol>
 */
public final class NodeRenderer {
  /** Upstream's node selection when {@code configDaemonNodeSelector} is empty. */
  public static final Map<String, String> DEFAULT_DAEMON_NODE_SELECTOR =
      Map.of("node-role.kubernetes.io/worker", "", "kubernetes.io/os", "linux");

  private final PolicyValidator validator = new PolicyValidator();

  /** What the daemon knows when it renders. */
  public record Input(
      Map<String, String> nodeLabels,
      List<InterfaceStatus> discovered,
      List<SriovNetworkNodePolicy> policies,
      List<SriovNetworkPoolConfig> pools,
      Optional<SriovOperatorConfig> operatorConfig) {
    public Input {
      nodeLabels = Map.copyOf(nodeLabels);
      discovered = List.copyOf(discovered);
      policies = List.copyOf(policies);
      pools = List.copyOf(pools);
      Objects.requireNonNull(operatorConfig, "operatorConfig");
    }
  }

  /** The outcome of a rendering. */
  public sealed interface Result {
    /** No {@code default} SriovOperatorConfig: keep the last rendered state. */
    record Waiting(String reason) implements Result {}

    /**
     * The node's spec.
     *
     * @param applied the policies rendered into it, in application order
     * @param rejected policies left out, with upstream's webhook message
     * @param notes node-level problems (not selected, pool conflict), for events and logs
     */
    record Rendered(
        NodeStateSpec spec, List<String> applied, List<PolicyProblem> rejected, List<String> notes)
        implements Result {
      public Rendered {
        Objects.requireNonNull(spec, "spec");
        applied = List.copyOf(applied);
        rejected = List.copyOf(rejected);
        notes = List.copyOf(notes);
      }
    }
  }

  public Result render(Input in) {
    if (in.operatorConfig().isEmpty()) {
      return new Result.Waiting(
          "no SriovOperatorConfig named "
              + SriovOperatorConfig.DEFAULT_NAME
              + ": policies are not rendered until it exists");
    }
    SriovOperatorConfigSpec config = in.operatorConfig().get().getSpec();
    Map<String, String> daemonSelector =
        config == null || config.configDaemonNodeSelector().isEmpty()
            ? DEFAULT_DAEMON_NODE_SELECTOR
            : config.configDaemonNodeSelector();
    List<String> notes = new ArrayList<>();
    if (!LabelSelectors.matches(daemonSelector, in.nodeLabels())) {
      notes.add("node not selected by configDaemonNodeSelector " + daemonSelector);
      return new Result.Rendered(NodeStateSpec.of(List.of()), List.of(), List.of(), notes);
    }
    Map<String, Object> system = Map.of();
    NodePools.Membership pool = NodePools.of(in.nodeLabels(), in.pools());
    if (pool instanceof NodePools.Membership.Conflict c) {
      notes.add(c.message());
    } else if (pool instanceof NodePools.Membership.InPool p
        && p.pool().getSpec() != null
        && !p.pool().getSpec().rdmaMode().isEmpty()) {
      system = Map.of("rdmaMode", p.pool().getSpec().rdmaMode());
    }

    List<PolicyProblem> rejected = new ArrayList<>();
    List<SriovNetworkNodePolicy> accepted = new ArrayList<>();
    in.policies().stream()
        .filter(p -> !p.getMetadata().getName().equals(SriovNetworkNodePolicy.IGNORED_NAME))
        .filter(p -> p.getSpec() != null)
        .filter(p -> LabelSelectors.matches(p.getSpec().nodeSelector(), in.nodeLabels()))
        .sorted(ADMISSION_ORDER)
        .forEach(
            p -> {
              Optional<String> problem =
                  validator
                      .checkFields(p)
                      .or(() -> validator.checkAgainstNode(p, in.discovered()))
                      .or(() -> conflict(p, accepted, in.discovered()));
              problem.ifPresentOrElse(
                  m -> rejected.add(new PolicyProblem(p.getMetadata().getName(), m)),
                  () -> accepted.add(p));
            });

    List<InterfaceSpec> interfaces = new ArrayList<>();
    List<String> applied = new ArrayList<>();
    int previousPriority = 100; // upstream's start value: matches no priority (0-99)
    for (SriovNetworkNodePolicy p : accepted.stream().sorted(UPSTREAM_ORDER).toList()) {
      PolicyApplication.apply(
          p, in.discovered(), interfaces, previousPriority == p.getSpec().priority());
      applied.add(p.getMetadata().getName());
      previousPriority = p.getSpec().priority();
    }
    return new Result.Rendered(
        new NodeStateSpec(interfaces, Map.of(), system), applied, rejected, notes);
  }

  private Optional<String> conflict(
      SriovNetworkNodePolicy p,
      List<SriovNetworkNodePolicy> earlier,
      List<InterfaceStatus> discovered) {
    for (SriovNetworkNodePolicy e : earlier) {
      Optional<String> c = validator.checkAgainst(p, e, discovered);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  /** Upstream's {@code ByPriority}: priority number descending (lower numbers win), then name. */
  static final Comparator<SriovNetworkNodePolicy> UPSTREAM_ORDER =
      Comparator.<SriovNetworkNodePolicy>comparingInt(p -> -p.getSpec().priority())
          .thenComparing(p -> p.getMetadata().getName());

  /** The order the webhook would have admitted them: creation time, then name. */
  static final Comparator<SriovNetworkNodePolicy> ADMISSION_ORDER =
      Comparator.<SriovNetworkNodePolicy, String>comparing(
              p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(p -> p.getMetadata().getName());
}
