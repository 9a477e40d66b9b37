package io.sriov.sysfs.devnode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The device nodes a device needs, each with where it should be on the host and in the container,
 * and the host paths among them that do not exist under the dev root (a consumer may report such a
 * device unhealthy, or hand the nodes out regardless as upstream's device plugin does). {@code
 * missing} may also hold a placeholder for a node that cannot even be named ({@code /dev/vfio/<no
 * iommu_group for 0000:3c:00.0>}).
 *
 * @param expected every node the device needs, present or not, in order
 * @param missing host paths (as {@code /dev/...}) that should exist and do not
 */
public record DeviceNodeSet(List<DeviceNode> expected, List<Path> missing) {
  public static final DeviceNodeSet EMPTY = new DeviceNodeSet(List.of(), List.of());

  public DeviceNodeSet {
    expected = List.copyOf(expected);
    missing = List.copyOf(missing);
  }

  /** The expected nodes that exist. */
  public List<DeviceNode> nodes() {
    return expected.stream().filter(n -> !missing.contains(n.hostPath())).toList();
  }

  /** True when every expected node exists. */
  public boolean complete() {
    return missing.isEmpty();
  }

  public DeviceNodeSet plus(DeviceNodeSet other) {
    List<DeviceNode> n = new ArrayList<>(expected);
    for (DeviceNode d : other.expected) {
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
