package io.sriov.core.config;

import java.util.Optional;

/** A pool's {@code deviceType}: which kind of device its selectors pick. */
public enum DeviceType {
  /** {@code netDevice} (the default): PCI network functions, class 0x02. */
  NET_DEVICE("netDevice"),
  /** {@code accelerator}: PCI processing accelerators, class 0x12. */
  ACCELERATOR("accelerator"),
  /** {@code auxNetDevice}: auxiliary network devices (sub-functions) of class-0x02 parents. */
  AUX_NET_DEVICE("auxNetDevice");

  private final String configName;

  DeviceType(String configName) {
    this.configName = configName;
  }

  /** The exact spelling used in config files. */
  public String configName() {
    return configName;
  }

  /** Looks up a config spelling; case-sensitive, as upstream compares it. */
  public static Optional<DeviceType> fromConfigName(String s) {
    for (DeviceType t : values()) {
      if (t.configName.equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return configName;
  }
}
