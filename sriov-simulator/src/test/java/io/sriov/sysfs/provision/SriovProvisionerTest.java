package io.sriov.sysfs.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.os.Errno;
import io.sriov.simulator.SimulatedNode;
import io.sriov.sysfs.SysfsException;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SriovProvisionerTest {
  static final PciAddress E810_0 = PciAddress.parse("0000:3b:00.0"); // 4 of 256 VFs
  static final PciAddress E810_1 = PciAddress.parse("0000:3b:00.1"); // 0 of 256 VFs
  static final PciAddress VF0 = PciAddress.parse("0000:3c:00.0"); // iavf
  static final DriverName IAVF = DriverName.of("iavf");
  static final ProvisionTimeouts FAST =
      new ProvisionTimeouts(
          Duration.ofMillis(200),
          Duration.ofMillis(200),
          Duration.ofMillis(200),
          Duration.ofMillis(10));

  @TempDir Path dir;
  SimulatedNode node;
  SysfsRoot root;
  List<String> writes = new ArrayList<>();
  SriovProvisioner provisioner;

  @BeforeEach
  void setUp() throws Exception {
    node = SimulatedNode.builtIn(dir);
    root = node.root();
    SysfsWriter recording =
        (file, value, timeout) -> {
          writes.add(root.display(file) + "=" + value.replace("\n", "\\n"));
          node.kernel().write(file, value, timeout);
        };
    provisioner = new SriovProvisioner(root, recording, FAST);
  }

  int numVfs(PciAddress pf) throws Exception {
    return Integer.parseInt(SysfsFiles.readRaw(root.pciAttribute(pf, "sriov_numvfs")));
  }

  @Test
  void alreadyAtTheRequestedCountWritesNothing() throws Exception {
    NumVfsChange c = provisioner.setNumVfs(E810_0, 4);
    assertThat(c.before()).isEqualTo(4);
    assertThat(c.after()).isEqualTo(4);
    assertThat(c.vfs()).hasSize(4);
    assertThat(c.changed()).isFalse();
    assertThat(writes).isEmpty();
  }

  @Test
  void changingTheCountWritesZeroThenNAndWaitsForTheLinks() throws Exception {
    NumVfsChange c = provisioner.setNumVfs(E810_0, 8);
    assertThat(c.before()).isEqualTo(4);
    assertThat(c.after()).isEqualTo(8);
    assertThat(writes)
        .containsExactly(
            "/sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs=0",
            "/sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs=8");
    assertThat(numVfs(E810_0)).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      Path vf = Files.readSymbolicLink(root.pciAttribute(E810_0, "virtfn" + i));
      PciAddress a = PciAddress.parse(vf.getFileName().toString());
      assertThat(Files.readSymbolicLink(root.pciAttribute(a, "physfn")).getFileName().toString())
          .isEqualTo("0000:3b:00.0");
      assertThat(c.vfs().get(i)).as("the change names VF %d by its virtfn link", i).isEqualTo(a);
    }
  }

  @Test
  void fromZeroWritesOnlyN() throws Exception {
    provisioner.setNumVfs(E810_1, 3);
    assertThat(writes).containsExactly("/sys/bus/pci/devices/0000:3b:00.1/sriov_numvfs=3");
  }

  @Test
  void toZeroRemovesAllVfs() throws Exception {
    provisioner.setNumVfs(E810_0, 0);
    assertThat(writes).containsExactly("/sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs=0");
    assertThat(Files.exists(root.pciDevice(VF0))).isFalse();
    assertThat(Files.exists(root.pciAttribute(E810_0, "virtfn0"))).isFalse();
  }

  @Test
  void aboveTotalVfsIsRefusedBeforeAnyWrite() {
    assertThatThrownBy(() -> provisioner.setNumVfs(E810_0, 300))
        .isInstanceOf(SysfsException.class)
        .hasMessage(
            "write sriov_numvfs=300 for 0000:3b:00.0: ERANGE (Numerical result out of range):"
                + " requested 300 VFs but sriov_totalvfs is 256");
    assertThat(writes).isEmpty();
  }

  @Test
  void functionWithoutSriov() {
    // the SF-less topology has none; a VF has no sriov_totalvfs
    assertThatThrownBy(() -> provisioner.setNumVfs(VF0, 1))
        .hasMessage(
            "write sriov_numvfs=1 for 0000:3c:00.0: ENOENT (No such file or directory): not"
                + " SR-IOV capable (no sriov_totalvfs)");
  }

  @Test
  void noSuchDevice() {
    assertThatThrownBy(() -> provisioner.setNumVfs(PciAddress.parse("0000:99:00.0"), 1))
        .hasMessage(
            "write sriov_numvfs=1 for 0000:99:00.0: ENODEV (No such device): no such PCI"
                + " device");
  }

  @Test
  void kernelErrnoIsKeptWithThePfInTheMessage() throws Exception {
    for (Errno errno : List.of(Errno.EBUSY, Errno.ENOMEM, Errno.ENOSPC)) {
      node.kernel().injectFailure(root.pciAttribute(E810_1, "sriov_numvfs"), errno);
      SysfsException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              SysfsException.class, () -> provisioner.setNumVfs(E810_1, 8));
      assertThat(e.errno()).isEqualTo(errno);
      assertThat(e.file()).isEqualTo(root.pciAttribute(E810_1, "sriov_numvfs"));
      assertThat(e.getMessage())
          .isEqualTo("write sriov_numvfs=8 for 0000:3b:00.1: " + errno.describe());
    }
    assertThat(numVfs(E810_1)).isZero();
  }

  @Test
  void failureAfterZeroingSaysThePfNowHasNoVfs() throws Exception {
    node.kernel().injectFailure(root.pciAttribute(E810_0, "sriov_numvfs"), "8", Errno.ENOMEM);
    assertThatThrownBy(() -> provisioner.setNumVfs(E810_0, 8))
        .hasMessage(
            "write sriov_numvfs=8 for 0000:3b:00.0: ENOMEM (Cannot allocate memory): the PF now"
                + " has 0 VFs");
    assertThat(numVfs(E810_0)).isZero();
  }

  @Test
  void failureWritingZero() throws Exception {
    node.kernel().injectFailure(root.pciAttribute(E810_0, "sriov_numvfs"), "0", Errno.EBUSY);
    assertThatThrownBy(() -> provisioner.setNumVfs(E810_0, 8))
        .hasMessage("write sriov_numvfs=0 for 0000:3b:00.0: EBUSY (Device or resource busy)");
    assertThat(numVfs(E810_0)).isEqualTo(4);
  }

  @Test
  void stuckDriverTimesOut() {
    node.kernel().stallWrites(root.pciAttribute(E810_1, "sriov_numvfs"));
    assertThatThrownBy(() -> provisioner.setNumVfs(E810_1, 2))
        .hasMessage(
            "write sriov_numvfs=2 for 0000:3b:00.1: ETIMEDOUT (Connection timed out): no answer"
                + " from the kernel within 200 ms; the write may still complete");
  }

  @Test
  void vfLinksThatNeverAppearTimeOut() throws Exception {
    node.kernel().holdVfLinks(true);
    assertThatThrownBy(() -> provisioner.setNumVfs(E810_1, 4))
        .hasMessage(
            "wait for 4 VFs for 0000:3b:00.1: ETIMEDOUT (Connection timed out): 0 of 4 VFs have"
                + " virtfn and physfn links after 200 ms");
    node.kernel().holdVfLinks(false);
    assertThat(provisioner.setNumVfs(E810_1, 4).changed()).isFalse();
  }

  @Test
  void malformedNumVfs() throws Exception {
    Files.writeString(root.pciAttribute(E810_0, "sriov_numvfs"), "four\n");
    assertThatThrownBy(() -> provisioner.setNumVfs(E810_0, 2))
        .hasMessage(
            "write sriov_numvfs=2 for 0000:3b:00.0: EINVAL (Invalid argument):"
                + " /sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs holds \"four\"");
  }

  @Test
  void negativeCountIsAProgrammingError() {
    assertThatThrownBy(() -> provisioner.setNumVfs(E810_0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("number of VFs must be >= 0: -1");
  }

  // ------------------------------------------------------------------ drivers

  @Test
  void bindToVfioUnbindsFirstUsesOverrideAndClearsIt() throws Exception {
    Optional<DriverName> before = provisioner.bindDriver(VF0, DriverName.VFIO_PCI);
    assertThat(before).contains(IAVF);
    assertThat(writes)
        .containsExactly(
            "/sys/bus/pci/drivers/iavf/unbind=0000:3c:00.0",
            "/sys/bus/pci/devices/0000:3c:00.0/driver_override=vfio-pci",
            "/sys/bus/pci/drivers/vfio-pci/bind=0000:3c:00.0",
            "/sys/bus/pci/devices/0000:3c:00.0/driver_override=\\n");
    assertThat(provisioner.currentDriver(VF0)).contains(DriverName.VFIO_PCI);
    assertThat(SysfsFiles.readRaw(root.pciAttribute(VF0, "driver_override"))).isEqualTo("(null)");
    assertThat(Files.exists(root.pciAttribute(VF0, "net"))).isFalse();
  }

  @Test
  void bindingTheCurrentDriverWritesNothing() throws Exception {
    assertThat(provisioner.bindDriver(VF0, IAVF)).contains(IAVF);
    assertThat(writes).isEmpty();
  }

  @Test
  void bindToADriverThatIsNotLoaded() {
    assertThatThrownBy(() -> provisioner.bindDriver(VF0, DriverName.of("igb_uio")))
        .hasMessage(
            "bind igb_uio for 0000:3c:00.0: ENOENT (No such file or directory): driver igb_uio is"
                + " not loaded (no /sys/bus/pci/drivers/igb_uio)");
    assertThat(writes).isEmpty();
  }

  @Test
  void refusedBindReturnsTheDeviceToItsDriver() throws Exception {
    node.kernel().injectFailure(root.pciDriverBind(DriverName.VFIO_PCI), Errno.EINVAL);
    assertThatThrownBy(() -> provisioner.bindDriver(VF0, DriverName.VFIO_PCI))
        .hasMessage(
            "bind vfio-pci for 0000:3c:00.0: EINVAL (Invalid argument): device returned to iavf");
    assertThat(provisioner.currentDriver(VF0)).contains(IAVF);
    assertThat(SysfsFiles.readRaw(root.pciAttribute(VF0, "driver_override"))).isEqualTo("(null)");
  }

  @Test
  void refusedUnbind() throws Exception {
    node.kernel().injectFailure(root.pciDriverUnbind(IAVF), Errno.EBUSY);
    assertThatThrownBy(() -> provisioner.bindDriver(VF0, DriverName.VFIO_PCI))
        .hasMessage(
            "bind vfio-pci for 0000:3c:00.0: EBUSY (Device or resource busy): unbinding iavf");
    assertThat(provisioner.currentDriver(VF0)).contains(IAVF);
  }

  @Test
  void backToTheDefaultDriverThroughDriversProbe() throws Exception {
    provisioner.bindDriver(VF0, DriverName.VFIO_PCI);
    writes.clear();
    assertThat(provisioner.bindDefaultDriver(VF0)).isEqualTo(IAVF);
    assertThat(writes)
        .containsExactly(
            "/sys/bus/pci/drivers/vfio-pci/unbind=0000:3c:00.0",
            "/sys/bus/pci/devices/0000:3c:00.0/driver_override=\\n",
            "/sys/bus/pci/drivers_probe=0000:3c:00.0");
    assertThat(Files.isDirectory(root.pciAttribute(VF0, "net").resolve("ens1f0v0"))).isTrue();
  }

  @Test
  void defaultDriverOnAKernelDriverStaysPut() throws Exception {
    assertThat(provisioner.bindDefaultDriver(VF0)).isEqualTo(IAVF);
    assertThat(writes).containsExactly("/sys/bus/pci/devices/0000:3c:00.0/driver_override=\\n");
  }

  @Test
  void defaultDriverNotLoaded() throws Exception {
    provisioner.bindDriver(VF0, DriverName.VFIO_PCI);
    node.kernel().unloadDriver(IAVF);
    assertThatThrownBy(() -> provisioner.bindDefaultDriver(VF0))
        .hasMessage(
            "bind default driver for 0000:3c:00.0: ENODEV (No such device): no driver claimed the"
                + " device after drivers_probe (it was on vfio-pci)");
  }

  @Test
  void unbindIsIdempotent() throws Exception {
    assertThat(provisioner.unbind(VF0)).contains(IAVF);
    assertThat(provisioner.currentDriver(VF0)).isEmpty();
    writes.clear();
    assertThat(provisioner.unbind(VF0)).isEmpty();
    assertThat(writes).isEmpty();
  }

  @Test
  void deviceThatWentAway() throws Exception {
    node.kernel().removeDevice(VF0);
    assertThatThrownBy(() -> provisioner.bindDriver(VF0, DriverName.VFIO_PCI))
        .hasMessage("bind vfio-pci for 0000:3c:00.0: ENODEV (No such device): no such PCI device");
    assertThatThrownBy(() -> provisioner.unbind(VF0))
        .hasMessage("unbind for 0000:3c:00.0: ENODEV (No such device): no such PCI device");
    assertThatThrownBy(() -> provisioner.bindDefaultDriver(VF0))
        .hasMessage(
            "bind default driver for 0000:3c:00.0: ENODEV (No such device): no such PCI device");
    assertThat(writes).isEmpty();
  }

  @Test
  void deviceRemovedDuringTheBindIsNotReportedBound() throws Exception {
    // The driver link is read relative to the device directory opened for the check before: a
    // device removed between the unbind and the bind must fail the bind, not pass its check.
    SysfsWriter removing =
        (file, value, timeout) -> {
          node.kernel().write(file, value, timeout);
          if (file.equals(root.pciDriverUnbind(IAVF))) {
            try {
              node.kernel().removeDevice(VF0);
            } catch (java.io.IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    SriovProvisioner p = new SriovProvisioner(root, removing, FAST);
    assertThatThrownBy(() -> p.bindDriver(VF0, DriverName.VFIO_PCI))
        .isInstanceOf(SysfsException.class)
        .hasMessage("bind vfio-pci for 0000:3c:00.0: ENOENT (No such file or directory)");
    assertThat(Files.exists(root.pciDevice(VF0))).isFalse();
  }
}
