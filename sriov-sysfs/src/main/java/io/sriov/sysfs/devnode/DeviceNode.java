package io.sriov.sysfs.devnode;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A device node to hand to a container (kubelet's {@code DeviceSpec}).
 *
 * @param hostPath where it is on the host ({@code /dev/vfio/noiommu-12})
 * @param containerPath where the container sees it ({@code /dev/vfio/12})
 * @param permissions cgroup device permissions: {@code r}, {@code w}, {@code m} ({@code "rw"})
 */
public record DeviceNode(Path hostPath, Path containerPath, String permissions) {
  public DeviceNode {
    Objects.requireNonNull(hostPath, "hostPath");
    Objects.requireNonNull(containerPath, "containerPath");
    if (permissions == null || !permissions.matches("[rwm]{1,3}")) {
      throw new IllegalArgumentException("permissions must be made of r, w, m: " + permissions);
    }
  }
}
