package io.sriov.cluster.nad;

import io.fabric8.kubernetes.client.CustomResource;
import io.sriov.cluster.api.NetworkStatus;
import io.sriov.cluster.api.OVSNetwork;
import io.sriov.cluster.api.SriovIBNetwork;
import io.sriov.cluster.api.SriovNetwork;

/** The three network kinds that become NetworkAttachmentDefinitions. */
public enum NetworkKind {
  SRIOV(SriovNetwork.class),
  SRIOV_IB(SriovIBNetwork.class),
  OVS(OVSNetwork.class);

  private final Class<? extends CustomResource<?, NetworkStatus>> type;

  NetworkKind(Class<? extends CustomResource<?, NetworkStatus>> type) {
    this.type = type;
  }

  @SuppressWarnings("unchecked")
  public <T extends CustomResource<?, NetworkStatus>> Class<T> type() {
    return (Class<T>) type;
  }

  /** {@code spec.networkNamespace}; empty when unset. */
  String networkNamespace(CustomResource<?, NetworkStatus> n) {
    return switch (n) {
      case SriovNetwork s -> s.getSpec().networkNamespace();
      case SriovIBNetwork s -> s.getSpec().networkNamespace();
      case OVSNetwork s -> s.getSpec().networkNamespace();
      default -> throw new IllegalArgumentException("not a network: " + n.getKind());
    };
  }

  RenderedNad render(NadRenderer renderer, CustomResource<?, NetworkStatus> n) {
    return switch (n) {
      case SriovNetwork s -> renderer.render(s);
      case SriovIBNetwork s -> renderer.render(s);
      case OVSNetwork s -> renderer.render(s);
      default -> throw new IllegalArgumentException("not a network: " + n.getKind());
    };
  }
}
