package io.sriov.deviceplugin.allocate;

import java.util.List;

/**
 * Finds device nodes that are not recorded in the device model. The real implementation reads sysfs
 * and {@code /dev} under injected roots.
 */
public interface DeviceNodeLookup {

  /**
   * The character devices of an RDMA device ({@code mlx5_0}), as host paths: {@code
   * /dev/infiniband/uverbsN}, {@code umadN}, {@code issmN} and {@code /dev/infiniband/rdma_cm}. The
   * shell equivalent is {@code grep -l mlx5_0 /sys/class/infiniband_{verbs,mad}/}{@code *}{@code
   * /ibdev}.
   */
  List<String> rdmaCharDevices(String rdmaDevice);

  /** True when the device node exists on the host ({@code test -e /dev/vhost-net}). */
  boolean exists(String hostPath);
}
