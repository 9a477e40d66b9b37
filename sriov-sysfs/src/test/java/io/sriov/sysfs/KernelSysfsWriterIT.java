package io.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.testing.Prerequisites;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real sysfs writes and the errno the kernel gives back. Touches only a veth pair created for the
 * test (removed afterwards) and kernel files whose write to a non-existent device changes nothing.
 */
class KernelSysfsWriterIT {
  static final Duration T = Duration.ofSeconds(10);
  final String a = "sxw" + ProcessHandle.current().pid() % 100000 + "a";
  final String b = "sxw" + ProcessHandle.current().pid() % 100000 + "b";
  final SysfsRoot root = SysfsRoot.system();
  final KernelSysfsWriter writer = new KernelSysfsWriter();

  @BeforeEach
  void veth() throws Exception {
    Prerequisites.require(
        Prerequisites.isRoot() && Files.isDirectory(Path.of("/sys/class/net")),
        "root and the real kernel's sysfs",
        "not root or no /sys/class/net");
    ip("link", "add", a, "type", "veth", "peer", "name", b);
  }

  @AfterEach
  void cleanup() throws Exception {
    writer.close();
    if (Prerequisites.isRoot()) {
      new ProcessBuilder("ip", "link", "del", a).start().waitFor();
    }
  }

  static void ip(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "ip";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
  }

  @Test
  void writesAnAttributeTheKernelAccepts() throws Exception {
    Path mtu = root.netInterface(InterfaceName.of(a)).resolve("mtu");
    writer.write(mtu, "1400", T);
    assertThat(SysfsFiles.readRaw(mtu)).isEqualTo("1400");
    writer.write(mtu, "1280\n", T);
    assertThat(SysfsFiles.readRaw(mtu)).isEqualTo("1280");
  }

  @Test
  void kernelRefusalKeepsItsErrno() {
    Path mtu = root.netInterface(InterfaceName.of(a)).resolve("mtu");
    assertThatThrownBy(() -> writer.write(mtu, "abc", T))
        .isInstanceOf(SysfsException.class)
        .hasMessage("write \"abc\" to " + mtu + ": EINVAL (Invalid argument)");
  }

  @Test
  void probingADeviceThatDoesNotExistIsEnodev() {
    Path probe = root.pciDriversProbe();
    assertThatThrownBy(() -> writer.write(probe, "0000:ff:1f.7", T))
        .hasMessage(
            "write \"0000:ff:1f.7\" to /sys/bus/pci/drivers_probe: ENODEV (No such device)");
  }

  @Test
  void bindingADeviceThatDoesNotExistIsEnodev() throws Exception {
    DriverName any = null;
    for (String d : SysfsFiles.list(root.pciDrivers())) {
      if (Files.exists(root.pciDriverBind(DriverName.of(d)))) {
        any = DriverName.of(d);
        break;
      }
    }
    Prerequisites.require(any != null, "a loaded PCI driver", "no /sys/bus/pci/drivers/*/bind");
    Path bind = root.pciDriverBind(any);
    String absent = PciAddress.parse("0000:ff:1f.7").toString();
    assertThatThrownBy(() -> writer.write(bind, absent, T))
        .hasMessage("write \"" + absent + "\" to " + bind + ": ENODEV (No such device)");
  }
}
