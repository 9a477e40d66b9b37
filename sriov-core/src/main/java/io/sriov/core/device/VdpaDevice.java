package io.sriov.core.device;

import java.util.Objects;
import java.util.Optional;

/**
 * A vDPA device on top of a VF ({@code /sys/bus/vdpa/devices/<name>}).
 *
 * @param vhostDevice {@code vhost-vdpa-N} when bound to vhost_vdpa
 */
public record VdpaDevice(String name, VdpaType type, Optional<String> vhostDevice) {
  public VdpaDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(vhostDevice, "vhostDevice");
  }
}
