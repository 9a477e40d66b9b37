package io.sriov.core.value;

/**
 * A kernel driver name as it appears under {@code /sys/bus/pci/drivers} ({@code igbvf}, {@code
 * vfio-pci}, {@code mlx5_core}). Letters, digits, {@code _ - .}, 1-64 characters: safe as a path
 * element.
 */
public record DriverName(String value) {
  public static final DriverName VFIO_PCI = new DriverName("vfio-pci");

  public DriverName {
    if (value == null || value.isEmpty() || value.length() > 64) {
      throw InvalidValueException.of("driver name", value, "must be 1-64 characters");
    }
    if (value.equals(".") || value.equals("..")) {
      throw InvalidValueException.of("driver name", value, "must not be . or ..");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.';
      if (!ok) {
        throw InvalidValueException.of(
            "driver name", value, "'" + c + "' is not allowed (letters, digits, _ - . only)");
      }
    }
  }

  public static DriverName of(String s) {
    return new DriverName(s);
  }

  /** Userspace-I/O drivers after which a VF has no kernel netdev (upstream's "DPDK drivers"). */
  public boolean isUserspaceDriver() {
    return value.equals("vfio-pci") || value.equals("igb_uio") || value.equals("uio_pci_generic");
  }

  // Written out (the same as the record's): a record's equals and hashCode go through method
  // handles, which the daemon's C1-only JIT does not inline; drivers are compared per device.

  @Override
  public boolean equals(Object o) {
    return o instanceof DriverName d && value.equals(d.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
