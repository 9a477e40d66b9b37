package io.sriov.observability.vf;

import io.sriov.core.value.PciAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the netdev of a VF given to a pod lives: the path of the pod's network namespace file, as
 * the SR-IOV CNI recorded it when it moved the VF there (upstream sriov-cni's allocation record
 * {@code /var/lib/cni/sriov/pci/<pci address>}, the {@code CNI_NETNS} of the ADD).
 */
@FunctionalInterface
public interface VfNamespaces {

  /** No VF is in a pod namespace (a node without the CNI). */
  VfNamespaces NONE = vf -> Optional.empty();

  /** The namespace file of the pod holding {@code vf}; empty when no pod holds it. */
  Optional<Path> of(PciAddress vf);
}
