package io.sriov.cluster.nad;

import io.sriov.core.json.GoJsonIndent;
import java.util.Objects;

/**
 * A NetworkAttachmentDefinition ({@code k8s.cni.cncf.io/v1}) as upstream's renderer makes it for a
 * network object.
 *
 * @param name the network's name
 * @param namespace {@code spec.networkNamespace}, or the network's own namespace
 * @param resourceName the {@code k8s.v1.cni.cncf.io/resourceName} annotation ({@code
 *     <prefix>/<spec.resourceName>})
 * @param ownerRef the {@code sriovnetwork.openshift.io/owner-ref} annotation ({@code
 *     <Kind>.sriovnetwork.openshift.io/<namespace>/<name>})
 * @param rawConfig {@code spec.config} as upstream's template renders it (what its golden files
 *     hold)
 */
public record RenderedNad(
    String name, String namespace, String resourceName, String ownerRef, String rawConfig) {

  public static final String RESOURCE_NAME_ANNOTATION = "k8s.v1.cni.cncf.io/resourceName";
  public static final String OWNER_REF_ANNOTATION = "sriovnetwork.openshift.io/owner-ref";

  public RenderedNad {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(ownerRef, "ownerRef");
    Objects.requireNonNull(rawConfig, "rawConfig");
  }

  /**
   * {@code spec.config} as stored in the cluster: the raw config formatted as upstream's operator
   * does before writing ({@code json.Indent} with four spaces).
   *
   * @throws IllegalArgumentException when the raw config is not JSON (a {@code capabilities},
   *     {@code ipam} or {@code metaPlugins} value that is not); the message is Go's
   */
  public String config() {
    return GoJsonIndent.indent(rawConfig, "", "    ");
  }
}
