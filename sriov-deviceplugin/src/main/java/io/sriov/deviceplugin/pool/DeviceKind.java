package io.sriov.deviceplugin.pool;

/** The resource config's {@code deviceType}: which kind of device a pool hands out. */
public enum DeviceKind {
  /** {@code netDevice}: PCI network functions (class 0x02). CDI kind {@code net-pci}. */
  NET_DEVICE("netDevice", "net-pci"),
  /** {@code accelerator}: PCI accelerators (class 0x12). CDI kind {@code net-accel}. */
  ACCELERATOR("accelerator", "net-accel"),
  /** {@code auxNetDevice}: auxiliary network devices (sub-functions). CDI kind {@code net-sf}. */
  AUX_NET_DEVICE("auxNetDevice", "net-sf");

  private final String configName;
  private final String cdiKind;

  DeviceKind(String configName, String cdiKind) {
    this.configName = configName;
    this.cdiKind = cdiKind;
  }

  /** The word used in the config file. */
  public String configName() {
    return configName;
  }

  /** The last part of the CDI kind ({@code <prefix>/<cdiKind>}), as upstream names it. */
  public String cdiKind() {
    return cdiKind;
  }
}
