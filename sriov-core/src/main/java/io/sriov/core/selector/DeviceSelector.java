package io.sriov.core.selector;

import io.sriov.core.device.Device;
import io.sriov.core.device.VdpaType;
import java.util.Optional;

/**
 * One selector object of a resource pool: a conjunction of filters, each list-valued filter passing
 * a device whose property equals one of the listed values (an empty list filters nothing). A
 * selector only ever matches devices of its own kind, so a pool's {@code deviceType} decides which
 * devices it can take.
 *
 * <p>Besides filtering, a selector tells the device plugin which info providers a device it
 * selected needs: RDMA character devices ({@link #isRdma()}), {@code /dev/vhost-net} and {@code
 * /dev/net/tun} ({@link #needVhostNet()}), the vDPA device node ({@link #vdpaType()}).
 */
public sealed interface DeviceSelector
    permits NetDeviceSelector, AcceleratorSelector, AuxNetDeviceSelector {

  /** True when every filter of this selector passes {@code device}. */
  boolean matches(Device device);

  /** {@code isRdma}: only RDMA-capable devices match, and they get the RDMA info provider. */
  boolean isRdma();

  /** {@code needVhostNet}: selected devices also get {@code /dev/vhost-net} and the tun device. */
  boolean needVhostNet();

  /** {@code vdpaType}: only devices with a vDPA device of this type match. */
  Optional<VdpaType> vdpaType();
}
