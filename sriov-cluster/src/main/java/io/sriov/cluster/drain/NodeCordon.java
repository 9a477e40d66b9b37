package io.sriov.cluster.drain;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cordons and uncordons this daemon's own Node ({@code kubectl cordon}: {@code
 * spec.unschedulable}), marking on the Node that the daemon did it, so that a daemon restarted
 * after dying mid-drain uncordons what it cordoned and never a node an administrator cordoned.
 *
 * <p>Annotations: {@value #STATE} is upstream's node drain state ({@value #DRAIN_REQUIRED} while
 * the daemon drains, {@value #IDLE} after); {@value #CORDONED} = {@code "true"} when the daemon set
 * {@code unschedulable} (absent when the node was cordoned already). Each change is one JSON merge
 * JSON patch that first tests the {@code resourceVersion} read, so a concurrent change is re-read
 * (a JSON merge patch cannot delete the marker on fabric8's mock API server, which keeps nulls).
 */
public final class NodeCordon {
  private static final Logger log = LoggerFactory.getLogger(NodeCordon.class);

  /** Upstream's node annotation for the drain state. */
  public static final String STATE = "sriovnetwork.openshift.io/state";

  /** Set by this daemon when it made the node unschedulable. */
  public static final String CORDONED = "sriovnetwork.openshift.io/drain-cordoned";

  public static final String DRAIN_REQUIRED = "Drain_Required";
  public static final String IDLE = "Idle";

  private final KubernetesClient client;
  private final String node;

  public NodeCordon(KubernetesClient client, String node) {
    this.client = Objects.requireNonNull(client, "client");
    this.node = Objects.requireNonNull(node, "node");
  }

  /**
   * Makes the node unschedulable and marks the drain; an already unschedulable node is left as it
   * is (and will be left cordoned by {@link #uncordon()}).
   *
   * @throws IllegalStateException when the Node does not exist
   */
  public void cordon() {
    for (int attempt = 0; ; attempt++) {
      Node n = get();
      boolean alreadyOurs = "true".equals(annotations(n).get(CORDONED));
      boolean byUs = alreadyOurs || !Boolean.TRUE.equals(n.getSpec().getUnschedulable());
      Map<String, String> set = new LinkedHashMap<>();
      set.put(STATE, DRAIN_REQUIRED);
      if (byUs) {
        set.put(CORDONED, "true");
      }
      if (patched(n, set, List.of(), byUs ? Optional.of(true) : Optional.empty(), attempt)) {
        log.info("node cordoned node={} byDaemon={}", node, byUs);
        return;
      }
    }
  }

  /**
   * Undoes {@link #cordon()}: schedulable again when this daemon cordoned it, state {@value #IDLE}.
   * Also what a restarted daemon calls first (nothing to do when no drain was marked).
   *
   * @return true when the node was made schedulable
   */
  public boolean uncordon() {
    for (int attempt = 0; ; attempt++) {
      Node n = get();
      Map<String, String> a = annotations(n);
      boolean ours = "true".equals(a.get(CORDONED));
      if (!ours && !DRAIN_REQUIRED.equals(a.get(STATE))) {
        return false;
      }
      if (patched(
          n,
          Map.of(STATE, IDLE),
          ours ? List.of(CORDONED) : List.of(),
          ours ? Optional.of(false) : Optional.empty(),
          attempt)) {
        log.info("node uncordoned node={} schedulable={}", node, ours);
        return ours;
      }
    }
  }

  /**
   * One JSON patch (RFC 6902): a {@code test} of the {@code resourceVersion} read, then the
   * annotation and {@code spec.unschedulable} changes. False when the node changed meanwhile.
   */
  private boolean patched(
      Node n,
      Map<String, String> set,
      List<String> remove,
      Optional<Boolean> unschedulable,
      int attempt) {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(op("test", "/metadata/resourceVersion", n.getMetadata().getResourceVersion()));
    if (n.getMetadata().getAnnotations() == null) {
      ops.add(op("add", "/metadata/annotations", Map.of()));
    }
    set.forEach((k, v) -> ops.add(op("add", "/metadata/annotations/" + pointer(k), v)));
    remove.forEach(k -> ops.add(op("remove", "/metadata/annotations/" + pointer(k), null)));
    unschedulable.ifPresent(
        u ->
            ops.add(
                n.getSpec() == null
                    ? op("add", "/spec", Map.of("unschedulable", u))
                    : op("add", "/spec/unschedulable", u)));
    try {
      // through the Node read: one request (withName(..).patch would GET the node first)
      client
          .nodes()
          .resource(n)
          .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(ops));
      return true;
    } catch (KubernetesClientException e) {
      // 409/422: the resourceVersion test failed, someone changed the node meanwhile.
      if ((e.getCode() == 409 || e.getCode() == 422) && attempt < 5) {
        return false;
      }
      throw e;
    }
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    if (!"remove".equals(op)) {
      m.put("value", value);
    }
    return m;
  }

  /** An annotation key as a JSON pointer segment ({@code /} is {@code ~1}). */
  private static String pointer(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private Node get() {
    Node n = client.nodes().withName(node).get();
    if (n == null) {
      throw new IllegalStateException("node " + node + " not found");
    }
    return n;
  }

  private static Map<String, String> annotations(Node n) {
    Map<String, String> a = n.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }
}
