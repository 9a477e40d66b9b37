package io.sriov.sysfs.devnode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The device nodes a device needs: those present under the dev root, and the host paths that should
 * exist but do not (a device plugin reports such a device unhealthy instead of handing out a node
 * that is not there).
 */
public record DeviceNodeSet(List<DeviceNode> nodes, List<Path> missing) {
  public static final DeviceNodeSet EMPTY = new DeviceNodeSet(List.of(), List.of());

  public DeviceNodeSet {
    nodes = List.copyOf(nodes);
    missing = List.copyOf(missing);
  }

  /** True when every expected node exists. */
  public boolean complete() {
    return missing.isEmpty();
  }

  public DeviceNodeSet plus(DeviceNodeSet other) {
    List<DeviceNode> n = new ArrayList<>(nodes);
    for (DeviceNode d : other.nodes) {
      if (!n.contains(d)) {
        n.add(d);
      }
    }
    List<Path> m = new ArrayList<>(missing);
    for (Path p : other.missing) {
      if (!m.contains(p)) {
        m.add(p);
      }
    }
    return new DeviceNodeSet(n, m);
  }
}
