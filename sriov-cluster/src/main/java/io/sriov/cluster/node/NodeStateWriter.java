package io.sriov.cluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sriov.cluster.api.SriovNetworkNodeState;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.NodeStateStatus;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes this node's {@link SriovNetworkNodeState} (name = node name, in the daemons' namespace,
 * owned by the Node so it goes when the node goes): creates it, patches {@code spec} and the {@code
 * status} subresource only where they differ from the server's copy (no write when nothing
 * changed), each patch conditional on the {@code resourceVersion} it was computed from and
 * recomputed on a 409 conflict (JSON patches, see {@link JsonPatchOps}; no server-side apply).
 * Records Events on it. Not thread-safe: one caller thread.
 */
public final class NodeStateWriter {
  /** Upstream's event source component. */
  public static final String COMPONENT = "sriov-network-config-daemon";

  static final int CONFLICT_RETRIES = 5;

  private final KubernetesClient client;
  private final KubernetesSerialization json;
  private final String namespace;
  private final String nodeName;
  private final Clock clock;
  private SriovNetworkNodeState current;

  public NodeStateWriter(KubernetesClient client, String namespace, String nodeName, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.json = client.getKubernetesSerialization();
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private Resource<SriovNetworkNodeState> resource() {
    return client.resources(SriovNetworkNodeState.class).inNamespace(namespace).withName(nodeName);
  }

  /**
   * The object as read: a patch through it is one request ({@code withName(..).patch} would GET the
   * object first; the JSON patch's own {@code resourceVersion} test guards the change).
   */
  private Resource<SriovNetworkNodeState> onServer(SriovNetworkNodeState read) {
    return client.resources(SriovNetworkNodeState.class).inNamespace(namespace).resource(read);
  }

  /** The server's copy as last read or written, empty before the first {@link #ensure}. */
  public Optional<SriovNetworkNodeState> current() {
    return Optional.ofNullable(current);
  }

  /**
   * Reads the object, creating it (owned by {@code node}, upstream's drain annotations {@code
   * Idle}) when missing. Adds the owner reference to an object created by someone else.
   */
  public SriovNetworkNodeState ensure(Node node) {
    SriovNetworkNodeState found = resource().get();
    if (found == null) {
      SriovNetworkNodeState s = new SriovNetworkNodeState();
      s.setMetadata(
          new ObjectMetaBuilder()
              .withName(nodeName)
              .withNamespace(namespace)
              .addToAnnotations(SriovNetworkNodeState.DESIRED_STATE_ANNOTATION, "Idle")
              .addToAnnotations(SriovNetworkNodeState.CURRENT_STATE_ANNOTATION, "Idle")
              .withOwnerReferences(ownerReference(node))
              .build());
      try {
        found =
            client
                .resources(SriovNetworkNodeState.class)
                .inNamespace(namespace)
                .resource(s)
                .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        found = resource().get(); // created meanwhile (a restart racing itself)
      }
    } else if (found.getMetadata().getOwnerReferences().stream()
        .noneMatch(o -> "Node".equals(o.getKind()) && nodeName.equals(o.getName()))) {
      JsonNode owner = json.convertValue(ownerReference(node), JsonNode.class);
      ArrayNode ops = JsonNodeFactory.instance.arrayNode();
      boolean none = found.getMetadata().getOwnerReferences().isEmpty();
      ops.addObject()
          .put("op", "add")
          .put("path", none ? "/metadata/ownerReferences" : "/metadata/ownerReferences/-")
          .set("value", none ? JsonNodeFactory.instance.arrayNode().add(owner) : owner);
      String patch =
          JsonPatchOps.withResourceVersion(found.getMetadata().getResourceVersion(), ops)
              .toString();
      found = onServer(found).patch(PatchContext.of(PatchType.JSON), patch);
    }
    current = found;
    return found;
  }

  private static OwnerReference ownerReference(Node node) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("Node")
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .build();
  }

  /** Patches {@code spec} to {@code spec}; false (no request) when the server has it already. */
  public boolean writeSpec(NodeStateSpec spec) {
    return write("spec", spec, false);
  }

  /** Patches the status subresource; false (no request) when the server has it already. */
  public boolean writeStatus(NodeStateStatus status) {
    return write("status", status, true);
  }

  private boolean write(String field, Object wanted, boolean subresource) {
    requireEnsured();
    JsonNode to = json.convertValue(wanted, JsonNode.class);
    for (int attempt = 1; ; attempt++) {
      JsonNode from =
          json.convertValue(subresource ? current.getStatus() : current.getSpec(), JsonNode.class);
      ArrayNode ops = JsonPatchOps.diff(field, from, to);
      if (ops.isEmpty()) {
        return false;
      }
      String patch =
          JsonPatchOps.withResourceVersion(current.getMetadata().getResourceVersion(), ops)
              .toString();
      try {
        current =
            subresource
                ? onServer(current)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), patch)
                : onServer(current).patch(PatchContext.of(PatchType.JSON), patch);
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
        SriovNetworkNodeState fresh = resource().get();
        if (fresh == null) {
          throw e;
        }
        current = fresh;
      }
    }
  }

  /** Records an Event on the node state ({@code Normal} or {@code Warning}). */
  public void event(String type, String reason, String message) {
    requireEnsured();
    Instant now = clock.instant();
    client
        .v1()
        .events()
        .inNamespace(namespace)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withGenerateName(nodeName + ".")
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(current.getApiVersion())
                .withKind(current.getKind())
                .withName(nodeName)
                .withNamespace(namespace)
                .withUid(current.getMetadata().getUid())
                .withResourceVersion(current.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(nodeName)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(nodeName)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withCount(1)
                .build())
        .create();
  }

  private void requireEnsured() {
    if (current == null) {
      throw new IllegalStateException("ensure() the node state of " + nodeName + " first");
    }
  }
}
