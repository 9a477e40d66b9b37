package io.sriov.sysfs;

import io.sriov.core.device.AuxDeviceName;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The injected roots of sysfs and of the device directory. Every raw {@code /sys/...} and {@code
 * /dev/...} path of the project lives in this class; everything else asks it for paths, so tests
 * and the simulated node point it at a generated tree. All path elements taken from callers are
 * validated values ({@link PciAddress}, {@link DriverName}, {@link InterfaceName}) or checked
 * attribute names, so no input can escape the root.
 */
public final class SysfsRoot {
  private final Path sys;
  private final Path dev;

  /**
   * {@code root/sys} and {@code root/dev}: {@code new SysfsRoot(Path.of("/"))} is the real node.
   */
  public SysfsRoot(Path root) {
    this(Objects.requireNonNull(root, "root").resolve("sys"), root.resolve("dev"));
  }

  /**
   * Separate sysfs and dev directories, e.g. a host's {@code /sys} mounted at {@code /host/sys}.
   */
  public SysfsRoot(Path sys, Path dev) {
    this.sys = Objects.requireNonNull(sys, "sys").toAbsolutePath().normalize();
    this.dev = Objects.requireNonNull(dev, "dev").toAbsolutePath().normalize();
  }

  /** The running machine: {@code /sys} and {@code /dev}. */
  public static SysfsRoot system() {
    return new SysfsRoot(Path.of("/"));
  }

  public Path sys() {
    return sys;
  }

  public Path dev() {
    return dev;
  }

  // ---- PCI bus ----

  /** {@code /sys/bus/pci/devices}: one symlink per PCI function. */
  public Path pciDevices() {
    return sys.resolve("bus/pci/devices");
  }

  /** {@code /sys/bus/pci/devices/<address>}. */
  public Path pciDevice(PciAddress address) {
    return pciDevices().resolve(address.toString());
  }

  /** {@code /sys/bus/pci/devices/<address>/<attribute>}; attribute is a plain sysfs file name. */
  public Path pciAttribute(PciAddress address, String attribute) {
    return pciDevice(address).resolve(checkAttribute(attribute));
  }

  /** {@code /sys/bus/pci/drivers}. */
  public Path pciDrivers() {
    return sys.resolve("bus/pci/drivers");
  }

  /** {@code /sys/bus/pci/drivers/<driver>}. */
  public Path pciDriver(DriverName driver) {
    return pciDrivers().resolve(driver.value());
  }

  /** {@code /sys/bus/pci/drivers/<driver>/bind}. */
  public Path pciDriverBind(DriverName driver) {
    return pciDriver(driver).resolve("bind");
  }

  /** {@code /sys/bus/pci/drivers/<driver>/unbind}. */
  public Path pciDriverUnbind(DriverName driver) {
    return pciDriver(driver).resolve("unbind");
  }

  /** {@code /sys/bus/pci/drivers_probe}. */
  public Path pciDriversProbe() {
    return sys.resolve("bus/pci/drivers_probe");
  }

  /** {@code /sys/devices}: where the real device directories live. */
  public Path devices() {
    return sys.resolve("devices");
  }

  // ---- other buses and classes ----

  /** {@code /sys/bus/auxiliary/devices} (sub-functions and other auxiliary devices). */
  public Path auxDevices() {
    return sys.resolve("bus/auxiliary/devices");
  }

  /** {@code /sys/bus/auxiliary/devices/<name>} ({@code mlx5_core.sf.4}). */
  public Path auxDevice(AuxDeviceName name) {
    return auxDevices().resolve(checkAttribute(name.toString()));
  }

  /** {@code /sys/bus/vdpa/devices}. */
  public Path vdpaDevices() {
    return sys.resolve("bus/vdpa/devices");
  }

  /** {@code /sys/class/net}. */
  public Path classNet() {
    return sys.resolve("class/net");
  }

  /** {@code /sys/class/net/<name>}. */
  public Path netInterface(InterfaceName name) {
    return classNet().resolve(name.value());
  }

  /** {@code /sys/kernel/iommu_groups}. */
  public Path iommuGroups() {
    return sys.resolve("kernel/iommu_groups");
  }

  // ---- device nodes ----

  /** {@code /dev/vfio/vfio}: the vfio container device. */
  public Path devVfioContainer() {
    return dev.resolve("vfio/vfio");
  }

  /** {@code /dev/vfio/<group>}. */
  public Path devVfioGroup(int group) {
    return dev.resolve("vfio/" + checkNumber(group));
  }

  /** {@code /dev/vfio/noiommu-<group>}: vfio's no-IOMMU group node. */
  public Path devVfioNoIommuGroup(int group) {
    return dev.resolve("vfio/noiommu-" + checkNumber(group));
  }

  /** {@code /dev/<uioN>}. */
  public Path devUio(String uio) {
    return dev.resolve(checkAttribute(uio));
  }

  /**
   * {@code /dev/infiniband/<node>} ({@code uverbs0}, {@code umad0}, {@code issm0}, {@code
   * rdma_cm}).
   */
  public Path devInfiniband(String node) {
    return dev.resolve("infiniband").resolve(checkAttribute(node));
  }

  /** {@code /dev/vhost-net}. */
  public Path devVhostNet() {
    return dev.resolve("vhost-net");
  }

  /** {@code /dev/net/tun}. */
  public Path devNetTun() {
    return dev.resolve("net/tun");
  }

  /** {@code /dev/<vhost-vdpa-N>}. */
  public Path devVhostVdpa(String node) {
    return dev.resolve(checkAttribute(node));
  }

  /** The path as it looks inside a container (the same path relative to {@code /dev}). */
  public Path containerDevPath(Path hostDevPath) {
    return Path.of("/dev").resolve(dev.relativize(hostDevPath));
  }

  /** Shows a path under the roots as the kernel names it ({@code /sys/...}), for messages. */
  public String display(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    if (abs.startsWith(sys)) {
      return "/sys/" + sys.relativize(abs);
    }
    if (abs.startsWith(dev)) {
      return "/dev/" + dev.relativize(abs);
    }
    return abs.toString();
  }

  /**
   * A sysfs file or directory entry name: letters, digits, {@code _ - . :}, not {@code .} or {@code
   * ..}, at most 64 characters.
   */
  public static String checkAttribute(String name) {
    if (name == null || name.isEmpty() || name.length() > 64) {
      throw new IllegalArgumentException("sysfs entry name must be 1-64 characters: " + name);
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("sysfs entry name must not be . or ..");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.'
              || c == ':';
      if (!ok) {
        throw new IllegalArgumentException("sysfs entry name has '" + c + "': " + name);
      }
    }
    return name;
  }

  private static int checkNumber(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("must be >= 0: " + n);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SysfsRoot r && r.sys.equals(sys) && r.dev.equals(dev);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sys, dev);
  }

  @Override
  public String toString() {
    return "SysfsRoot[sys=" + sys + ", dev=" + dev + "]";
  }
}
