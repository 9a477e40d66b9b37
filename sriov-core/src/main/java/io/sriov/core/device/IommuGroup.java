package io.sriov.core.device;

/**
 * The IOMMU group of a PCI function ({@code /sys/bus/pci/devices/<a>/iommu_group}). {@code noIommu}
 * is true when the group is vfio's no-IOMMU group ({@code iommu_group/name} is {@code
 * vfio-noiommu}), whose device node is {@code /dev/vfio/noiommu-<n>}.
 */
public record IommuGroup(int number, boolean noIommu) {
  public IommuGroup {
    if (number < 0) {
      throw new IllegalArgumentException("IOMMU group must be >= 0: " + number);
    }
  }
}
