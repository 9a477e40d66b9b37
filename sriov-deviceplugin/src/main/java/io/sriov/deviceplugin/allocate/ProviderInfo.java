package io.sriov.deviceplugin.allocate;

import io.sriov.sysfs.devnode.DeviceNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one info provider contributes for one device: its entry in the {@code _INFO} env JSON and
 * its device nodes.
 *
 * @param name the provider name as upstream emits it: {@code generic}, {@code vfio}, {@code uio},
 *     {@code rdma}, {@code vhost}, {@code vdpa}, {@code extra}
 */
public record ProviderInfo(String name, Map<String, String> info, List<DeviceNode> nodes) {
  public ProviderInfo {
    Objects.requireNonNull(name, "name");
    info = java.util.Collections.unmodifiableMap(new TreeMap<>(info));
    nodes = List.copyOf(nodes);
  }
}
