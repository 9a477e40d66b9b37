package io.sriov.deviceplugin.allocate;

import java.util.Objects;

/**
 * A device node to expose in the container (a kubelet {@code DeviceSpec}, a CDI {@code deviceNodes}
 * entry).
 *
 * @param permissions cgroup permissions, {@code rw} for everything this plugin exposes
 */
public record DeviceNode(String hostPath, String containerPath, String permissions) {
  public DeviceNode {
    Objects.requireNonNull(hostPath, "hostPath");
    Objects.requireNonNull(containerPath, "containerPath");
    Objects.requireNonNull(permissions, "permissions");
  }

  public static DeviceNode rw(String path) {
    return new DeviceNode(path, path, "rw");
  }
}
