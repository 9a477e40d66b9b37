package io.sriov.deviceplugin.allocate;

import io.sriov.core.device.Device;
import java.util.List;

/**
 * Finds device nodes that are not recorded in the device model. The real implementation reads sysfs
 * and {@code /dev} under injected roots.
 */
public interface DeviceNodeLookup {

  /**
   * The RDMA character devices of a device, as host paths: {@code /dev/infiniband/uverbsN}, {@code
   * umadN}, {@code issmN} (found in the function's {@code infiniband_verbs/} and {@code
   * infiniband_mad/}, i.e. {@code ls /sys/bus/pci/devices/<a>/infiniband_*}) and {@code
   * /dev/infiniband/rdma_cm} when it exists.
   */
  List<String> rdmaCharDevices(Device device);

  /** True when the device node exists on the host ({@code test -e /dev/vhost-net}). */
  boolean exists(String hostPath);
}
