package io.sriov.deviceplugin.pool;

import io.sriov.core.device.VdpaType;
import java.util.Objects;
import java.util.Optional;

/**
 * What the selector object that took a device asks for, which decides the device's extra info
 * providers (as upstream: per selector, not per pool).
 *
 * @param rdma {@code isRdma}: adds the rdma provider
 * @param vhostNet {@code needVhostNet}: adds the vhost provider
 * @param vdpaType {@code vdpaType}: adds the vdpa provider
 */
public record DeviceNeeds(boolean rdma, boolean vhostNet, Optional<VdpaType> vdpaType) {
  public static final DeviceNeeds NONE = new DeviceNeeds(false, false, Optional.empty());

  public DeviceNeeds {
    Objects.requireNonNull(vdpaType, "vdpaType");
  }
}
