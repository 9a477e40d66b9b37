package io.sriov.core.device;

import java.util.List;

/**
 * The RDMA devices of a function ({@code /sys/bus/pci/devices/<a>/infiniband/<dev>}, e.g. {@code
 * mlx5_0}). Empty means the function is not RDMA-capable as far as sysfs shows, unless devlink says
 * RDMA is enabled on it.
 *
 * @param enabledInDevlink the function's devlink param {@code enable_rdma} is true ({@code devlink
 *     dev param show pci/<a> name enable_rdma}): with the RDMA subsystem in exclusive mode, a
 *     function whose RDMA device was moved into a pod's network namespace shows none in the host's
 *     sysfs yet is RDMA-capable (upstream's fallback, so it stays in its {@code isRdma} pool)
 */
public record RdmaInfo(List<String> devices, boolean enabledInDevlink) {
  public static final RdmaInfo NONE = new RdmaInfo(List.of());

  /** RDMA-capable through devlink while no RDMA device of it is visible here. */
  public static final RdmaInfo ENABLED_ELSEWHERE = new RdmaInfo(List.of(), true);

  public RdmaInfo {
    devices = List.copyOf(devices);
  }

  /** The devices sysfs shows. */
  public RdmaInfo(List<String> devices) {
    this(devices, false);
  }

  public boolean capable() {
    return !devices.isEmpty() || enabledInDevlink;
  }
}
