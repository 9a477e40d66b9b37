package io.sriov.deviceplugin.allocate;

import io.sriov.core.device.Device;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.sysfs.devnode.DeviceNode;
import java.util.List;
import java.util.Objects;

/**
 * A device with everything Allocate returns for it computed ahead of time.
 *
 * @param infoEntry this device's entry of the {@code _INFO} JSON object: {@code "<id>":{...}}
 */
public record PreparedDevice(
    Device device,
    DeviceNeeds needs,
    List<ProviderInfo> providers,
    List<DeviceNode> nodes,
    String infoEntry) {
  public PreparedDevice {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(needs, "needs");
    providers = List.copyOf(providers);
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(infoEntry, "infoEntry");
  }

  public String id() {
    return device.id();
  }
}
