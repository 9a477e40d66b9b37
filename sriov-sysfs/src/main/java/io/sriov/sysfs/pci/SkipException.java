package io.sriov.sysfs.pci;

/** Why one device cannot be reported; becomes a {@code DeviceDiscovery.Skipped}. */
final class SkipException extends Exception {
  private static final long serialVersionUID = 1L;

  SkipException(String reason) {
    super(reason, null, false, false);
  }
}
