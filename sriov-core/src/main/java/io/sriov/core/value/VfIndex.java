package io.sriov.core.value;

/**
 * The index of a VF on its PF: N in {@code /sys/bus/pci/devices/<pf>/virtfnN} and in {@code ip link
 * set <pf> vf N}. The PCI SR-IOV capability allows at most 65535 VFs.
 */
public record VfIndex(int value) implements Comparable<VfIndex> {
  public VfIndex {
    if (value < 0 || value > 0xfffe) {
      throw new InvalidValueException("VF index out of range 0-65534: " + value);
    }
  }

  public static VfIndex of(int value) {
    return new VfIndex(value);
  }

  @Override
  public int compareTo(VfIndex o) {
    return Integer.compare(value, o.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
