package io.sriov.core.port;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Which pods hold which devices right now, as kubelet knows it: its PodResources API ({@code List}
 * over {@code /var/lib/kubelet/pod-resources/kubelet.sock}, the answer of {@code kubectl describe
 * node}'s "Allocated resources" per device). Read by the metrics (a VF's traffic joined to its pod)
 * and by the drain decision (does a change take a VF away from a running pod). The kubelet gRPC
 * client implements it; tests use an in-memory list.
 */
public interface PodResources {

  /**
   * Every device assigned to a container of a running pod, one entry per device ID.
   *
   * @throws IOException when kubelet cannot be reached or answers with an error; the message names
   *     the socket and the cause
   */
  List<Assignment> list() throws IOException;

  /**
   * One device held by one container.
   *
   * @param resourceName the extended resource, e.g. {@code openshift.io/intel_sriov_netdevice}
   * @param deviceId the device plugin's ID, for SR-IOV a PCI address such as {@code 0000:3b:02.1}
   */
  record Assignment(
      String namespace, String pod, String container, String resourceName, String deviceId) {
    public Assignment {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(pod, "pod");
      Objects.requireNonNull(container, "container");
      Objects.requireNonNull(resourceName, "resourceName");
      Objects.requireNonNull(deviceId, "deviceId");
    }
  }
}
