package io.sriov.cluster.drain;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sriov.core.port.PodResources;
import io.sriov.daemon.plan.DisruptedVf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which running pods hold the VFs a plan disrupts. Kubelet's PodResources API says it exactly (a
 * VF's device ID is its PCI address); when kubelet cannot be asked, the answer falls back to
 * upstream's partial drain: every pod on the node that requests a resource under the device
 * plugin's resource prefix ({@code <prefix>/...}), listed with the {@code spec.nodeName} field
 * selector.
 */
public final class VfHolders {
  private static final Logger log = LoggerFactory.getLogger(VfHolders.class);

  private final PodResources podResources;
  private final KubernetesClient client;
  private final String node;
  private final String resourcePrefix;

  /**
   * @param resourcePrefix upstream's {@code RESOURCE_PREFIX}, e.g. {@code openshift.io}
   */
  public VfHolders(
      PodResources podResources, KubernetesClient client, String node, String resourcePrefix) {
    this.podResources = Objects.requireNonNull(podResources, "podResources");
    this.client = Objects.requireNonNull(client, "client");
    this.node = Objects.requireNonNull(node, "node");
    this.resourcePrefix = Objects.requireNonNull(resourcePrefix, "resourcePrefix");
  }

  /**
   * The pods holding VFs of {@code vfs}, each with what it holds ({@code <resource> <pci>} from
   * kubelet, or the requested SR-IOV resources in the fallback), sorted.
   */
  public Map<PodRef, List<String>> of(List<DisruptedVf> vfs) {
    List<PodResources.Assignment> assignments;
    try {
      assignments = podResources.list();
    } catch (IOException e) {
      log.warn(
          "kubelet pod resources unavailable, falling back to every pod requesting {}/* error={}",
          resourcePrefix,
          e.getMessage());
      return sriovPodsOnNode();
    }
    Map<String, DisruptedVf> byAddress = new TreeMap<>();
    vfs.forEach(v -> byAddress.put(v.address().toString(), v));
    Map<PodRef, List<String>> out = new TreeMap<>();
    for (PodResources.Assignment a : assignments) {
      if (byAddress.containsKey(a.deviceId())) {
        out.computeIfAbsent(new PodRef(a.namespace(), a.pod()), k -> new ArrayList<>())
            .add(a.resourceName() + " " + a.deviceId());
      }
    }
    return out;
  }

  private Map<PodRef, List<String>> sriovPodsOnNode() {
    Map<PodRef, List<String>> out = new TreeMap<>();
    for (Pod pod :
        client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems()) {
      if (!node.equals(pod.getSpec().getNodeName()) || finished(pod)) {
        continue;
      }
      List<String> sriov =
          containers(pod)
              .flatMap(c -> requested(c).keySet().stream())
              .filter(r -> r.startsWith(resourcePrefix + "/"))
              .distinct()
              .sorted()
              .toList();
      if (!sriov.isEmpty()) {
        out.put(new PodRef(pod.getMetadata().getNamespace(), pod.getMetadata().getName()), sriov);
      }
    }
    return out;
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static Stream<Container> containers(Pod pod) {
    return Stream.concat(
        pod.getSpec().getContainers().stream(),
        pod.getSpec().getInitContainers() == null
            ? Stream.empty()
            : pod.getSpec().getInitContainers().stream());
  }

  private static Map<String, Quantity> requested(Container c) {
    if (c.getResources() == null) {
      return Map.of();
    }
    Map<String, Quantity> r = new TreeMap<>();
    if (c.getResources().getLimits() != null) {
      r.putAll(c.getResources().getLimits());
    }
    if (c.getResources().getRequests() != null) {
      r.putAll(c.getResources().getRequests());
    }
    return r;
  }
}
