package io.sriov.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.OperState;
import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.os.Errno;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.SysfsException;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated kernel answers sysfs writes as drivers/pci/iov.c and drivers/base/bus.c do. */
class SimulatedKernelTest {
  static final PciAddress PF = PciAddress.parse("0000:3b:00.0");
  static final PciAddress PF1 = PciAddress.parse("0000:3b:00.1");
  static final PciAddress VF0 = PciAddress.parse("0000:3c:00.0");
  static final Duration T = Duration.ofSeconds(5);

  @TempDir Path dir;
  SimulatedNode node;
  SimulatedKernel kernel;
  SysfsRoot root;

  @BeforeEach
  void setUp() throws Exception {
    node = SimulatedNode.builtIn(dir);
    kernel = node.kernel();
    root = node.root();
  }

  Errno errnoOf(Path file, String value) {
    try {
      kernel.write(file, value, T);
      return null;
    } catch (SysfsException e) {
      return e.errno();
    }
  }

  String read(Path p) throws Exception {
    return SysfsFiles.readRaw(p);
  }

  @Test
  void layoutLooksLikeTheRealOne() throws Exception {
    assertThat(Files.readSymbolicLink(root.pciDevice(PF)).toString())
        .isEqualTo("../../../devices/pci0000:00/0000:3b:00.0");
    assertThat(Files.readSymbolicLink(root.pciAttribute(PF, "driver")).toString())
        .isEqualTo("../../../bus/pci/drivers/ice");
    assertThat(Files.readSymbolicLink(root.pciAttribute(VF0, "physfn")).toString())
        .isEqualTo("../0000:3b:00.0");
    assertThat(Files.readSymbolicLink(root.pciAttribute(PF, "virtfn0")).toString())
        .isEqualTo("../0000:3c:00.0");
    assertThat(Files.readSymbolicLink(root.classNet().resolve("ens1f0")).toString())
        .isEqualTo("../../devices/pci0000:00/0000:3b:00.0/net/ens1f0");
    assertThat(Files.isSymbolicLink(root.pciDriver(DriverName.of("iavf")).resolve("0000:3c:00.0")))
        .isTrue();
    assertThat(read(root.pciAttribute(PF, "driver_override"))).isEqualTo("(null)");
    assertThat(read(root.sys().resolve("SIMULATION"))).contains("simulated");
    assertThat(Files.exists(root.devVfioContainer())).isTrue();
    assertThat(node.toString()).startsWith("SimulatedNode[SIMULATION");
    assertThat(kernel.toString()).startsWith("SimulatedKernel[SIMULATION");
  }

  @Test
  void numVfsRules() throws Exception {
    Path numvfs = root.pciAttribute(PF, "sriov_numvfs");
    assertThat(errnoOf(numvfs, "8")).isEqualTo(Errno.EBUSY); // 4 -> 8 without 0
    assertThat(errnoOf(numvfs, "257")).isEqualTo(Errno.ERANGE);
    assertThat(errnoOf(numvfs, "eight")).isEqualTo(Errno.EINVAL);
    assertThat(errnoOf(numvfs, "4")).isNull(); // same value: no-op
    assertThat(read(numvfs)).isEqualTo("4");
    assertThat(errnoOf(numvfs, "0\n")).isNull();
    assertThat(read(numvfs)).isEqualTo("0");
    assertThat(Files.exists(root.pciDevice(VF0))).isFalse();
    assertThat(Files.exists(root.classNet().resolve("ens1f0v0"))).isFalse();
    assertThat(errnoOf(numvfs, "2")).isNull();
    assertThat(read(root.pciAttribute(VF0, "class"))).isEqualTo("0x020000");
    assertThat(Files.readSymbolicLink(root.pciAttribute(VF0, "driver")).getFileName().toString())
        .isEqualTo("iavf");
  }

  @Test
  void numVfsNeedsAPfDriver() throws Exception {
    assertThat(errnoOf(root.pciDriverUnbind(DriverName.of("ice")), PF1.toString())).isNull();
    assertThat(errnoOf(root.pciAttribute(PF1, "sriov_numvfs"), "2")).isEqualTo(Errno.ENOENT);
  }

  @Test
  void bindUnbindOverrideProbe() throws Exception {
    DriverName iavf = DriverName.of("iavf");
    Path vfioBind = root.pciDriverBind(DriverName.VFIO_PCI);
    assertThat(errnoOf(vfioBind, VF0.toString())).isEqualTo(Errno.ENODEV); // no override
    assertThat(errnoOf(root.pciAttribute(VF0, "driver_override"), "vfio-pci")).isNull();
    assertThat(errnoOf(vfioBind, VF0.toString())).isEqualTo(Errno.EBUSY); // still on iavf
    assertThat(errnoOf(root.pciDriverUnbind(DriverName.VFIO_PCI), VF0.toString()))
        .isEqualTo(Errno.ENODEV); // not bound there
    assertThat(errnoOf(root.pciDriverUnbind(iavf), VF0.toString())).isNull();
    assertThat(kernel.driverOf(VF0)).isEmpty();
    assertThat(Files.exists(root.classNet().resolve("ens1f0v0"))).isFalse();
    assertThat(errnoOf(vfioBind, VF0.toString())).isNull();
    assertThat(kernel.driverOf(VF0)).contains(DriverName.VFIO_PCI);
    int group =
        Integer.parseInt(
            Files.readSymbolicLink(root.pciAttribute(VF0, "iommu_group")).getFileName().toString());
    assertThat(Files.exists(root.devVfioGroup(group))).isTrue();
    assertThat(errnoOf(root.pciAttribute(VF0, "driver_override"), "\0")).isNull();
    assertThat(read(root.pciAttribute(VF0, "driver_override"))).isEqualTo("(null)");
    assertThat(errnoOf(root.pciDriverUnbind(DriverName.VFIO_PCI), VF0.toString())).isNull();
    assertThat(Files.exists(root.devVfioGroup(group))).isFalse();
    assertThat(errnoOf(root.pciDriversProbe(), VF0.toString())).isNull();
    assertThat(kernel.driverOf(VF0)).contains(iavf);
    assertThat(Files.exists(root.classNet().resolve("ens1f0v0"))).isTrue();
    assertThat(errnoOf(root.pciDriversProbe(), "0000:99:00.0")).isEqualTo(Errno.EINVAL);
    assertThat(errnoOf(root.pciDriverBind(DriverName.of("nosuch")), VF0.toString()))
        .isEqualTo(Errno.ENOENT);
  }

  @Test
  void writesKeepTheKernelsErrnoInTheMessage() {
    Path numvfs = root.pciAttribute(PF, "sriov_numvfs");
    assertThatThrownBy(() -> kernel.write(numvfs, "8", T))
        .isInstanceOf(SysfsException.class)
        .hasMessage("write \"8\" to " + numvfs + ": EBUSY (Device or resource busy)");
  }

  @Test
  void injectedFailureIsOneShot() throws Exception {
    Path numvfs = root.pciAttribute(PF1, "sriov_numvfs");
    kernel.injectFailure(numvfs, Errno.ENOSPC);
    assertThat(errnoOf(numvfs, "2")).isEqualTo(Errno.ENOSPC);
    assertThat(read(numvfs)).isEqualTo("0");
    assertThat(errnoOf(numvfs, "2")).isNull();
  }

  @Test
  void stalledWriteTimesOut() {
    Path numvfs = root.pciAttribute(PF1, "sriov_numvfs");
    kernel.stallWrites(numvfs);
    assertThatThrownBy(() -> kernel.write(numvfs, "2", Duration.ofMillis(20)))
        .hasMessage(
            "write \"2\" to "
                + numvfs
                + ": ETIMEDOUT (Connection timed out): no answer from the"
                + " kernel within 20 ms; the write may still complete");
  }

  @Test
  void removeDeviceTakesItsVfsAlong() throws Exception {
    kernel.removeDevice(PF);
    assertThat(Files.exists(root.pciDevice(PF))).isFalse();
    assertThat(Files.exists(root.pciDevice(VF0))).isFalse();
    assertThat(Files.exists(root.classNet().resolve("ens1f0"))).isFalse();
    assertThatThrownBy(() -> kernel.removeDevice(PF))
        .hasMessage("SIMULATION: no PCI device 0000:3b:00.0");
  }

  @Test
  void mtuWrites() throws Exception {
    Path mtu = root.classNet().resolve("ens1f0").resolve("mtu");
    assertThat(errnoOf(mtu, "9000")).isNull();
    assertThat(read(mtu)).isEqualTo("9000");
    assertThat(errnoOf(mtu, "20")).isEqualTo(Errno.EINVAL);
  }

  @Test
  void linkMonitorSeesCarrierAndNetdevChangesInOrder() throws Exception {
    try (SimulatedLinkMonitor monitor = kernel.newLinkMonitor()) {
      assertThat(monitor.snapshot().stream().map(e -> e.name().value()))
          .contains("ens1f0", "ens1f0v0", "ens2f0np0")
          .doesNotContain("ens2f0np0s1"); // the SF netdev is not a PCI function's
      LinkedBlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
      monitor.subscribe(events::add);
      kernel.setCarrier(InterfaceName.of("ens1f0"), false);
      kernel.write(root.pciAttribute(PF, "sriov_numvfs"), "0", T);
      kernel.setCarrier(InterfaceName.of("ens1f0"), true);
      LinkEvent down = events.poll(10, TimeUnit.SECONDS);
      assertThat(down.kind()).isEqualTo(LinkEvent.Kind.CHANGED);
      assertThat(down.name()).isEqualTo(InterfaceName.of("ens1f0"));
      assertThat(down.operState()).isEqualTo(OperState.DOWN);
      assertThat(down.carrier()).isFalse();
      for (int i = 0; i < 4; i++) { // link-state auto: the VFs lose the PF's link
        LinkEvent vfDown = events.poll(10, TimeUnit.SECONDS);
        assertThat(vfDown.kind()).isEqualTo(LinkEvent.Kind.CHANGED);
        assertThat(vfDown.name()).isEqualTo(InterfaceName.of("ens1f0v" + i));
        assertThat(vfDown.carrier()).isFalse();
      }
      for (int i = 0; i < 4; i++) {
        LinkEvent removed = events.poll(10, TimeUnit.SECONDS);
        assertThat(removed.kind()).isEqualTo(LinkEvent.Kind.REMOVED);
        assertThat(removed.name()).isEqualTo(InterfaceName.of("ens1f0v" + i));
      }
      LinkEvent up = events.poll(10, TimeUnit.SECONDS);
      assertThat(up.kind()).isEqualTo(LinkEvent.Kind.CHANGED);
      assertThat(up.carrier()).isTrue();
      assertThat(SysfsFiles.readRaw(root.classNet().resolve("ens1f0/carrier"))).isEqualTo("1");
      assertThat(SysfsFiles.readRaw(root.classNet().resolve("ens1f0/operstate"))).isEqualTo("up");
      assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("no event doubled").isNull();
    }
  }

  @Test
  void deviceEventMonitorSeesVfRemovalCreationAndRebindInOrder() throws Exception {
    try (SimulatedDeviceEventMonitor monitor = kernel.newDeviceEventMonitor()) {
      LinkedBlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
      monitor.subscribe(events::add);
      DriverName vfDriver = kernel.driverOf(VF0).orElseThrow();
      PciAddress vf1 = PciAddress.parse("0000:3c:00.1");
      kernel.write(root.pciAttribute(PF, "sriov_numvfs"), "0", T);
      kernel.write(root.pciAttribute(PF, "sriov_numvfs"), "2", T);
      kernel.write(root.pciDriver(vfDriver).resolve("unbind"), VF0.toString(), T);
      kernel.write(root.pciAttribute(VF0, "driver_override"), "vfio-pci", T);
      kernel.write(root.pciDriver(DriverName.VFIO_PCI).resolve("bind"), VF0.toString(), T);
      List<String> seen = new java.util.ArrayList<>();
      for (int i = 0; i < 4 * 2 + 4 + 2; i++) {
        DeviceEvent e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("event %d after %s", i, seen).isNotNull();
        assertThat(e.subsystem()).isEqualTo("pci");
        assertThat(e.devpath()).startsWith("/devices/").endsWith("/" + e.pciAddress().get());
        seen.add(
            e.action().kernelName()
                + " "
                + e.pciAddress().orElseThrow()
                + e.driver().map(d -> " " + d).orElse(""));
      }
      assertThat(seen)
          .startsWith("unbind " + VF0, "remove " + VF0, "unbind " + vf1, "remove " + vf1)
          .endsWith(
              "add " + VF0,
              "bind " + VF0 + " " + vfDriver,
              "add " + vf1,
              "bind " + vf1 + " " + vfDriver,
              "unbind " + VF0,
              "bind " + VF0 + " vfio-pci");
      assertThat(events).isEmpty();
    }
  }

  @Test
  void setCarrierOfAnUnknownNetdev() {
    assertThatThrownBy(() -> kernel.setCarrier(InterfaceName.of("nope0"), true))
        .hasMessage("SIMULATION: no netdev nope0");
  }

  @Test
  void nonEmptyDirectoryIsRefused() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("x"), "x");
    assertThatThrownBy(() -> SimulatedNode.create(other, Topology.builtIn()))
        .hasMessage("SIMULATION: directory for the simulated node not empty: " + other);
  }

  @Test
  void scaleTopologyHas256VfsPerPf() throws Exception {
    SimulatedNode big = SimulatedNode.create(dir.resolve("big"), Topology.scale(2, 256));
    List<String> vfs =
        SysfsFiles.list(big.root().pciDevice(PciAddress.parse("0000:10:00.1"))).stream()
            .filter(n -> n.startsWith("virtfn"))
            .toList();
    assertThat(vfs).hasSize(256);
    assertThat(
            Files.readSymbolicLink(
                    big.root().pciAttribute(PciAddress.parse("0000:10:00.1"), "virtfn255"))
                .getFileName()
                .toString())
        .isEqualTo("0000:12:1f.7");
  }
}
