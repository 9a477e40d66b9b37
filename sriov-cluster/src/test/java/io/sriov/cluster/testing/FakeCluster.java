package io.sriov.cluster.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.sriov.cluster.api.Crds;
import io.sriov.cluster.api.SriovNetworkPoolConfig;
import io.sriov.cluster.api.SriovNetworkPoolConfigSpec;
import io.sriov.cluster.api.SriovOperatorConfig;
import io.sriov.cluster.api.SriovOperatorConfigSpec;
import io.sriov.core.port.PodResources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The cluster a drain test runs in: fabric8's mock API server in CRUD mode with the module's CRDs,
 * plus what it lacks, as a real cluster would do it: the Eviction API (an accepted eviction deletes
 * the pod shortly after, as the API server and kubelet do; a pod under a PodDisruptionBudget
 * answers 429), and kubelet's PodResources per node (in memory: a pod's VF assignment goes with the
 * pod).
 */
public final class FakeCluster implements AutoCloseable {
  public static final String NS = "sriov-network-operator";

  private final Supplier<MockServerExpectation> expect;
  public final KubernetesClient client;
  private final Map<String, List<PodResources.Assignment>> assignments = new ConcurrentHashMap<>();
  private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();
  public final List<String> evictions = new CopyOnWriteArrayList<>();

  /** Loads the module's CRDs into {@code server}. */
  public FakeCluster(KubernetesMockServer server, KubernetesClient client) {
    this(server::expect, client);
    for (CustomResourceDefinition crd : Crds.load()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  private FakeCluster(Supplier<MockServerExpectation> expect, KubernetesClient client) {
    this.expect = expect;
    this.client = client;
  }

  /** The cluster around {@code api} (which has the CRDs already), through its client. */
  public static FakeCluster on(MockApiServer api) {
    return new FakeCluster(api::expect, api.client());
  }

  public Node node(String name, Map<String, String> labels) {
    return client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
  }

  /**
   * A running pod on {@code node} holding VF {@code pci} of {@code resource}, evictable (deleted 50
   * ms after its eviction is accepted).
   */
  public Pod vfPod(String ns, String name, String node, String resource, String pci) {
    Pod pod = client.pods().inNamespace(ns).resource(pod(ns, name, node, resource)).create();
    assignments
        .computeIfAbsent(node, k -> new CopyOnWriteArrayList<>())
        .add(new PodResources.Assignment(ns, name, "c", resource, pci));
    expect
        .get()
        .post()
        .withPath("/api/v1/namespaces/" + ns + "/pods/" + name + "/eviction")
        .andReply(
            201,
            req -> {
              evictions.add(ns + "/" + name);
              kubelet.schedule(() -> delete(node, ns, name), 50, TimeUnit.MILLISECONDS);
              return new StatusBuilder().withStatus("Success").withCode(201).build();
            })
        .always();
    return pod;
  }

  /** A pod whose PodDisruptionBudget refuses every eviction (429). */
  public void pdbProtected(String ns, String name) {
    expect
        .get()
        .post()
        .withPath("/api/v1/namespaces/" + ns + "/pods/" + name + "/eviction")
        .andReturn(
            429,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(429)
                .withReason("TooManyRequests")
                .withMessage("Cannot evict pod as it would violate the pod's disruption budget.")
                .build())
        .always();
  }

  public static Pod pod(String ns, String name, String node, String resource) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withNewResources()
        .addToRequests(resource, new Quantity("1"))
        .addToLimits(resource, new Quantity("1"))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  private void delete(String node, String ns, String name) {
    client.pods().inNamespace(ns).withName(name).delete();
    assignments
        .getOrDefault(node, List.of())
        .removeIf(a -> a.namespace().equals(ns) && a.pod().equals(name));
  }

  /** Kubelet's PodResources on {@code node}. */
  public PodResources podResources(String node) {
    return () -> List.copyOf(assignments.getOrDefault(node, List.of()));
  }

  /** A kubelet that cannot be reached. */
  public static PodResources kubeletDown() {
    return () -> {
      throw new IOException("/var/lib/kubelet/pod-resources/kubelet.sock: connection refused");
    };
  }

  /** A SriovNetworkPoolConfig selecting nodes by {@code matchLabels}. */
  public void poolConfig(String name, Map<String, String> matchLabels, IntOrString maxUnavailable) {
    SriovNetworkPoolConfig pc = new SriovNetworkPoolConfig();
    pc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    pc.setSpec(
        new SriovNetworkPoolConfigSpec(
            null,
            new LabelSelectorBuilder().withMatchLabels(matchLabels).build(),
            maxUnavailable,
            ""));
    client.resources(SriovNetworkPoolConfig.class).inNamespace(NS).resource(pc).create();
  }

  /** The {@code default} SriovOperatorConfig with {@code disableDrain}. */
  public void operatorConfig(boolean disableDrain) {
    SriovOperatorConfig c = new SriovOperatorConfig();
    c.setMetadata(
        new ObjectMetaBuilder()
            .withName(SriovOperatorConfig.DEFAULT_NAME)
            .withNamespace(NS)
            .build());
    c.setSpec(
        new SriovOperatorConfigSpec(
            null, false, false, 2, disableDrain, false, "daemon", false, null, null, null));
    client.resources(SriovOperatorConfig.class).inNamespace(NS).resource(c).create();
  }

  /**
   * Watches the Node objects and keeps the largest number of unschedulable nodes seen at once
   * (among {@code nodes}).
   */
  public static final class CordonWatch implements AutoCloseable {
    private final Map<String, Boolean> unschedulable = new ConcurrentHashMap<>();
    private final AtomicInteger max = new AtomicInteger();
    public final List<String> cordoned = new CopyOnWriteArrayList<>();
    private final Watch watch;

    public CordonWatch(KubernetesClient client) {
      watch =
          client
              .nodes()
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Node node) {
                      boolean u =
                          action != Action.DELETED
                              && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
                      String name = node.getMetadata().getName();
                      Boolean before = unschedulable.put(name, u);
                      if (u && !Boolean.TRUE.equals(before)) {
                        cordoned.add(name);
                      }
                      int now = (int) unschedulable.values().stream().filter(b -> b).count();
                      max.accumulateAndGet(now, Math::max);
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
    }

    public int maxCordonedAtOnce() {
      return max.get();
    }

    public List<String> cordonedNow() {
      List<String> out = new ArrayList<>();
      unschedulable.forEach(
          (n, u) -> {
            if (u) out.add(n);
          });
      return out;
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  @Override
  public void close() {
    kubelet.shutdownNow();
  }
}
