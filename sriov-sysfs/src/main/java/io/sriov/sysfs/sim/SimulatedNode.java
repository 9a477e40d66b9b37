package io.sriov.sysfs.sim;

import io.sriov.sysfs.SysfsRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A SIMULATED node: a generated sysfs and /dev tree in a directory, laid out like the real one
 * ({@code /sys/devices/pci0000:00/<a>}, {@code /sys/bus/pci/devices/*} and {@code /sys/class/net/*}
 * links, {@code /sys/bus/pci/drivers/<d>}, {@code /sys/kernel/iommu_groups}, {@code /dev/vfio},
 * ...), for a {@link Topology}, and the {@link SimulatedKernel} that keeps it consistent under
 * sysfs writes. Point {@code SysfsDeviceDiscovery}, {@code SriovProvisioner} and {@code
 * DeviceNodes} at {@link #root()} and give the provisioner {@link #kernel()} as its writer.
 */
public final class SimulatedNode {
  private final SysfsRoot root;
  private final SimulatedKernel kernel;

  private SimulatedNode(SysfsRoot root, SimulatedKernel kernel) {
    this.root = root;
    this.kernel = kernel;
  }

  /** Generates the tree for {@code topology} in {@code dir} (which must be empty or absent). */
  public static SimulatedNode create(Path dir, Topology topology) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("SIMULATION: directory for the simulated node not empty: " + dir);
        }
      }
    }
    SysfsRoot root = new SysfsRoot(dir);
    return new SimulatedNode(root, new SimulatedKernel(root, topology));
  }

  /** The built-in topology ({@link Topology#builtIn()}) in {@code dir}. */
  public static SimulatedNode builtIn(Path dir) throws IOException {
    return create(dir, Topology.builtIn());
  }

  public SysfsRoot root() {
    return root;
  }

  public SimulatedKernel kernel() {
    return kernel;
  }

  public Topology topology() {
    return kernel.topology();
  }

  @Override
  public String toString() {
    return "SimulatedNode[SIMULATION topology=" + topology().name() + " root=" + root.sys() + "]";
  }
}
