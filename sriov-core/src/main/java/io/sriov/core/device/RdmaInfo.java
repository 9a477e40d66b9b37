package io.sriov.core.device;

import java.util.List;

/**
 * The RDMA devices of a function ({@code /sys/bus/pci/devices/<a>/infiniband/<dev>}, e.g. {@code
 * mlx5_0}). Empty means the function is not RDMA-capable (as far as sysfs shows).
 */
public record RdmaInfo(List<String> devices) {
  public static final RdmaInfo NONE = new RdmaInfo(List.of());

  public RdmaInfo {
    devices = List.copyOf(devices);
  }

  public boolean capable() {
    return !devices.isEmpty();
  }
}
