package io.sriov.cluster.nad;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.sriov.cluster.api.NetworkStatus;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one network's NetworkAttachmentDefinition as upstream's network controllers do ({@code
 * controllers/generic_network_controller.go}), one reconcile per call:
 *
 * <ul>
 *   <li>{@code spec.networkNamespace} is only allowed on networks in the daemons' namespace;
 *   <li>a network in the daemons' namespace carries the finalizer {@value #FINALIZER}: its NAD may
 *       live in another namespace, where owner references cannot reach, so its deletion deletes the
 *       NAD first; a network elsewhere has its NAD beside it, owned through an owner reference (the
 *       garbage collector deletes it with the network);
 *   <li>the NAD is created, or updated when its config or the two annotations differ; a NAD of the
 *       same name owned by another object ({@code owner-ref} annotation) is left alone; a missing
 *       target namespace waits for the namespace;
 *   <li>a changed {@code networkNamespace} deletes the NAD in the previous one ({@value
 *       #LAST_NAMESPACE});
 *   <li>{@code status.conditions[type=Ready]} says the outcome with upstream's reasons and
 *       messages; it is written only when it changes.
 * </ul>
 *
 * Only NAD annotations this renderer owns are written: others (added by users or tools) are kept,
 * where upstream's update replaces them.
 */
public final class NadReconciler {
  private static final Logger log = LoggerFactory.getLogger(NadReconciler.class);

  public static final String FINALIZER = "netattdef.finalizers.sriovnetwork.openshift.io";
  public static final String LAST_NAMESPACE =
      "operator.sriovnetwork.openshift.io/last-network-namespace";

  public static final String READY = "Ready";
  public static final String REASON_READY = "NetworkReady";
  public static final String REASON_INVALID = "NetworkAttachmentDefinitionInvalid";
  public static final String REASON_NOT_FOUND = "NetworkAttachmentDefinitionNotFound";
  public static final String REASON_NAMESPACE_NOT_FOUND = "NamespaceNotFound";

  /** {@code k8s.cni.cncf.io/v1} NetworkAttachmentDefinition. */
  public static final ResourceDefinitionContext NAD =
      new ResourceDefinitionContext.Builder()
          .withGroup("k8s.cni.cncf.io")
          .withVersion("v1")
          .withKind("NetworkAttachmentDefinition")
          .withPlural("network-attachment-definitions")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;
  private final String namespace;
  private final NadRenderer renderer;
  private final Clock clock;

  /**
   * @param namespace the daemons' namespace (upstream's operator namespace)
   */
  public NadReconciler(
      KubernetesClient client, String namespace, NadRenderer renderer, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Reconciles the network {@code kind} {@code ns/name}; nothing when it is gone.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (the caller
   *     retries with backoff)
   */
  public <T extends CustomResource<?, NetworkStatus>> void reconcile(
      NetworkKind kind, String ns, String name) {
    Resource<T> ref = client.resources(kind.<T>type()).inNamespace(ns).withName(name);
    T n = ref.get();
    if (n == null) {
      return;
    }
    String target = kind.networkNamespace(n);
    if (!target.isEmpty() && !namespace.equals(ns)) {
      condition(
          ref,
          n,
          false,
          REASON_INVALID,
          "spec.networkNamespace cannot be set when the resource is not in the operator namespace ("
              + namespace
              + ")");
      return;
    }
    if (target.isEmpty()) {
      target = ns;
    }
    if (n.getMetadata().getDeletionTimestamp() != null) {
      if (n.getMetadata().getFinalizers().contains(FINALIZER)) {
        deleteNad(target, name);
        ref.edit(
            o -> {
              o.getMetadata().getFinalizers().remove(FINALIZER);
              return o;
            });
        log.info("network deleted kind={} network={}/{} nad={}/{}", kind, ns, name, target, name);
      }
      return;
    }
    if (namespace.equals(ns) && !n.getMetadata().getFinalizers().contains(FINALIZER)) {
      n =
          ref.edit(
              o -> {
                o.getMetadata().getFinalizers().add(FINALIZER);
                return o;
              });
    }
    RenderedNad nad;
    String config;
    try {
      nad = kind.render(renderer, n);
      config = nad.config();
    } catch (IllegalArgumentException e) {
      condition(ref, n, false, REASON_INVALID, e.getMessage());
      return;
    }
    String last = annotations(n).get(LAST_NAMESPACE);
    if (last != null && !last.isEmpty() && !last.equals(target)) {
      deleteNad(last, name);
      n =
          ref.edit(
              o -> {
                o.getMetadata().getAnnotations().remove(LAST_NAMESPACE);
                return o;
              });
    }
    Resource<GenericKubernetesResource> nadRef =
        client.genericKubernetesResources(NAD).inNamespace(target).withName(name);
    GenericKubernetesResource found;
    try {
      found = nadRef.get();
    } catch (KubernetesClientException e) {
      condition(ref, n, false, REASON_NOT_FOUND, e.getMessage());
      throw e;
    }
    if (found == null) {
      if (client.namespaces().withName(target).get() == null) {
        condition(
            ref,
            n,
            false,
            REASON_NAMESPACE_NOT_FOUND,
            "target namespace \"" + target + "\" does not exist");
        return;
      }
      // The namespace is recorded before the NAD is created: a NAD never exists unrecorded, so a
      // later change of networkNamespace always finds the old one to delete.
      String t = target;
      if (!t.equals(annotations(n).get(LAST_NAMESPACE))) {
        n =
            ref.edit(
                o -> {
                  if (o.getMetadata().getAnnotations() == null) {
                    o.getMetadata().setAnnotations(new HashMap<>());
                  }
                  o.getMetadata().getAnnotations().put(LAST_NAMESPACE, t);
                  return o;
                });
      }
      client
          .genericKubernetesResources(NAD)
          .inNamespace(target)
          .resource(newNad(n, nad, config, target.equals(ns)))
          .create();
      log.info("nad created kind={} network={}/{} nad={}/{}", kind, ns, name, target, name);
    } else {
      String owner = annotations(found).get(RenderedNad.OWNER_REF_ANNOTATION);
      if (owner != null && !owner.isEmpty() && !owner.equals(nad.ownerRef())) {
        condition(
            ref,
            n,
            false,
            REASON_INVALID,
            "NetworkAttachmentDefinition '"
                + target
                + "/"
                + name
                + "' already exists and is owned by "
                + owner);
        return;
      }
      if (!inSync(found, nad, config, ownerRef(n, target.equals(ns)))) {
        T network = n;
        boolean sameNamespace = target.equals(ns);
        nadRef.edit(o -> sync(o, network, nad, config, sameNamespace));
        log.info("nad updated kind={} network={}/{} nad={}/{}", kind, ns, name, target, name);
      }
    }
    condition(ref, n, true, REASON_READY, "NetworkAttachmentDefinition is provisioned and ready");
  }

  private void deleteNad(String ns, String name) {
    client.genericKubernetesResources(NAD).inNamespace(ns).withName(name).delete();
  }

  private GenericKubernetesResource newNad(
      CustomResource<?, ?> n, RenderedNad nad, String config, boolean sameNamespace) {
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("k8s.cni.cncf.io/v1")
            .withKind("NetworkAttachmentDefinition")
            .withNewMetadata()
            .withName(nad.name())
            .withNamespace(nad.namespace())
            .endMetadata()
            .build();
    return sync(r, n, nad, config, sameNamespace);
  }

  private static GenericKubernetesResource sync(
      GenericKubernetesResource r,
      CustomResource<?, ?> n,
      RenderedNad nad,
      String config,
      boolean sameNamespace) {
    if (r.getMetadata().getAnnotations() == null) {
      r.getMetadata().setAnnotations(new HashMap<>());
    }
    r.getMetadata().getAnnotations().put(RenderedNad.RESOURCE_NAME_ANNOTATION, nad.resourceName());
    r.getMetadata().getAnnotations().put(RenderedNad.OWNER_REF_ANNOTATION, nad.ownerRef());
    Map<String, Object> spec = new HashMap<>();
    spec.put("config", config);
    r.setAdditionalProperty("spec", spec);
    List<OwnerReference> owners = new ArrayList<>(r.getMetadata().getOwnerReferences());
    OwnerReference mine = ownerRef(n, sameNamespace);
    if (mine != null && owners.stream().noneMatch(o -> mine.getUid().equals(o.getUid()))) {
      owners.add(mine);
    }
    r.getMetadata().setOwnerReferences(owners);
    return r;
  }

  /**
   * The owner reference to the network ({@code controllerutil.SetOwnerReference}: no controller
   * flag); null when the NAD is in another namespace, where owner references do not reach.
   */
  private static OwnerReference ownerRef(CustomResource<?, ?> n, boolean sameNamespace) {
    if (!sameNamespace) {
      return null;
    }
    return new OwnerReferenceBuilder()
        .withApiVersion(n.getApiVersion())
        .withKind(n.getKind())
        .withName(n.getMetadata().getName())
        .withUid(n.getMetadata().getUid())
        .build();
  }

  private static boolean inSync(
      GenericKubernetesResource found, RenderedNad nad, String config, OwnerReference owner) {
    Map<String, String> a = annotations(found);
    return found.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
        && config.equals(spec.get("config"))
        && nad.resourceName().equals(a.get(RenderedNad.RESOURCE_NAME_ANNOTATION))
        && nad.ownerRef().equals(a.get(RenderedNad.OWNER_REF_ANNOTATION))
        && (owner == null
            || found.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> owner.getUid().equals(o.getUid())));
  }

  private static Map<String, String> annotations(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  /**
   * Sets {@code status.conditions[type=Ready]} as {@code meta.SetStatusCondition} does (the
   * transition time moves only when the status flips); no write when nothing changes.
   */
  private <T extends CustomResource<?, NetworkStatus>> void condition(
      Resource<T> ref, T n, boolean ready, String reason, String message) {
    List<Condition> conditions =
        n.getStatus() == null ? new ArrayList<>() : new ArrayList<>(n.getStatus().conditions());
    String status = ready ? "True" : "False";
    Long generation = n.getMetadata().getGeneration();
    Condition old =
        conditions.stream().filter(c -> READY.equals(c.getType())).findFirst().orElse(null);
    if (old != null
        && status.equals(old.getStatus())
        && reason.equals(old.getReason())
        && message.equals(old.getMessage())
        && Objects.equals(generation, old.getObservedGeneration())) {
      return;
    }
    String transition =
        old != null && status.equals(old.getStatus())
            ? old.getLastTransitionTime()
            : DateTimeFormatter.ISO_INSTANT.format(
                ZonedDateTime.now(clock)
                    .withZoneSameInstant(ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS));
    Condition c =
        new ConditionBuilder()
            .withType(READY)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build();
    conditions.removeIf(x -> READY.equals(x.getType()));
    conditions.add(c);
    NetworkStatus next = new NetworkStatus(conditions);
    ref.editStatus(
        o -> {
          o.setStatus(next);
          return o;
        });
    if (!ready) {
      log.warn(
          "network not ready kind={} network={}/{} reason={} message={}",
          n.getKind(),
          n.getMetadata().getNamespace(),
          n.getMetadata().getName(),
          reason,
          message);
    }
  }
}
