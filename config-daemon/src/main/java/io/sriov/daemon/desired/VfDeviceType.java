package io.sriov.daemon.desired;

import java.util.Optional;

/** A VF group's {@code deviceType}: which driver its VFs are bound to. */
public enum VfDeviceType {
  /** {@code netdevice} (the default): the VF's kernel driver, with a netdev. */
  NETDEVICE("netdevice"),
  /** {@code vfio-pci}: userspace I/O, no netdev. */
  VFIO_PCI("vfio-pci");

  private final String wireName;

  VfDeviceType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The spec spelling, case-sensitive as upstream's CRD enum; empty means {@link #NETDEVICE}. */
  public static Optional<VfDeviceType> fromWireName(String s) {
    if (s.isEmpty()) {
      return Optional.of(NETDEVICE);
    }
    for (VfDeviceType t : values()) {
      if (t.wireName.equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
