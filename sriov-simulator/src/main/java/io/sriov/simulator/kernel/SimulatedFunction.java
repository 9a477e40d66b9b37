package io.sriov.simulator.kernel;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.simulator.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One SIMULATED PCI function as the simulated kernel knows it: its identity (fixed) and what the
 * driver core changes (driver, override, netdev, RDMA and uio devices). Guarded by the kernel's
 * lock.
 */
final class SimulatedFunction {
  final PciAddress address;
  final PciId vendor;
  final PciId device;
  final int classCode;
  final DriverName defaultDriver;
  final Topology.Pf pf; // the topology entry: its own for a PF, its PF's for a VF
  final SimulatedFunction physfn; // null for a PF
  final int vfIndex;
  final int iommuGroup;
  final Path dir;
  final List<SimulatedFunction> vfs = new ArrayList<>();
  DriverName driver;
  String override;
  String netdev;
  String rdmaDevice;
  String uio;

  SimulatedFunction(
      PciAddress address,
      PciId vendor,
      PciId device,
      int classCode,
      DriverName defaultDriver,
      Topology.Pf pf,
      SimulatedFunction physfn,
      int vfIndex,
      int iommuGroup,
      Path dir) {
    this.address = address;
    this.vendor = vendor;
    this.device = device;
    this.classCode = classCode;
    this.defaultDriver = defaultDriver;
    this.pf = pf;
    this.physfn = physfn;
    this.vfIndex = vfIndex;
    this.iommuGroup = iommuGroup;
    this.dir = dir;
  }

  boolean isPf() {
    return physfn == null;
  }

  boolean isNetwork() {
    return (classCode >> 16) == 0x02;
  }
}
