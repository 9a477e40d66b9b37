package io.sriov.cluster.drain;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sriov.cluster.api.SriovNetworkPoolConfig;
import io.sriov.cluster.api.SriovNetworkPoolConfigSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the drain pool of a node as upstream's drain controller does: the {@code
 * SriovNetworkPoolConfig}s of the daemon's namespace (those naming an {@code
 * ovsHardwareOffloadConfig} are not drain pools and are skipped; no {@code nodeSelector} selects
 * every node, as upstream's drain controller reads it), each node in at most one; a node in none is
 * in the default pool of every node in no pool, {@code maxUnavailable} 1. Node selection is the API
 * server's (label selector lists).
 */
public final class DrainPools {
  private final KubernetesClient client;
  private final String namespace;

  public DrainPools(KubernetesClient client, String namespace) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
  }

  /**
   * The pool of {@code node}.
   *
   * @throws IllegalStateException when the node is in more than one pool, or a pool's {@code
   *     maxUnavailable} is invalid (the message names the pools and the value)
   */
  public DrainPool poolOf(String node) {
    List<String> mine = new ArrayList<>();
    DrainPool found = null;
    Set<String> pooled = new HashSet<>();
    for (SriovNetworkPoolConfig pc :
        client.resources(SriovNetworkPoolConfig.class).inNamespace(namespace).list().getItems()) {
      SriovNetworkPoolConfigSpec spec = pc.getSpec();
      if (spec == null) {
        spec = new SriovNetworkPoolConfigSpec(null, null, null, "");
      }
      if (spec.ovsHardwareOffloadConfig() != null
          && !spec.ovsHardwareOffloadConfig().name().isEmpty()) {
        continue;
      }
      String name = pc.getMetadata().getName();
      LabelSelector selector = spec.nodeSelector();
      List<Node> nodes =
          selector == null
              ? client.nodes().list().getItems()
              : client.nodes().withLabelSelector(selector).list().getItems();
      nodes.forEach(n -> pooled.add(n.getMetadata().getName()));
      if (nodes.stream().anyMatch(n -> node.equals(n.getMetadata().getName()))) {
        mine.add(name);
        MaxUnavailable max;
        try {
          max = MaxUnavailable.of(spec.maxUnavailable());
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(
              "SriovNetworkPoolConfig " + name + ": maxUnavailable: " + e.getMessage(), e);
        }
        found = new DrainPool(name, max, nodes.size());
      }
    }
    if (mine.size() > 1) {
      throw new IllegalStateException(
          "node "
              + node
              + " is in more than one SriovNetworkPoolConfig: "
              + String.join(", ", mine));
    }
    if (found != null) {
      return found;
    }
    int rest =
        (int)
            client.nodes().list().getItems().stream()
                .filter(n -> !pooled.contains(n.getMetadata().getName()))
                .count();
    return DrainPool.defaultPool(rest);
  }
}
