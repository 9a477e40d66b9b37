package io.sriov.core.device;

import java.util.Optional;

/** The vDPA bus driver a vDPA device is bound to; the {@code vdpaType} selector's values. */
public enum VdpaType {
  /** {@code virtio_vdpa}: the device shows up as a virtio netdev in the host kernel. */
  VIRTIO("virtio", "virtio_vdpa"),
  /** {@code vhost_vdpa}: the device is a {@code /dev/vhost-vdpa-N} char device. */
  VHOST("vhost", "vhost_vdpa");

  private final String configName;
  private final String driver;

  VdpaType(String configName, String driver) {
    this.configName = configName;
    this.driver = driver;
  }

  /** The word used in config files ({@code virtio}, {@code vhost}). */
  public String configName() {
    return configName;
  }

  public String driver() {
    return driver;
  }

  public static Optional<VdpaType> fromConfigName(String s) {
    for (VdpaType t : values()) {
      if (t.configName.equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public static Optional<VdpaType> fromDriver(String d) {
    for (VdpaType t : values()) {
      if (t.driver.equals(d)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
