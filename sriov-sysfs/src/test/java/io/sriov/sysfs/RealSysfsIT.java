package io.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciFunction;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.DeviceDiscovery.Result;
import io.sriov.core.testing.Prerequisites;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.sysfs.pci.PciFunctions;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovers this machine's real /sys, read-only, and checks it against {@code lspci -D -n -vmm -k}
 * (pciutils) and {@code ip -o link}.
 */
class RealSysfsIT {
  static Map<String, Map<String, String>> lspci;

  @BeforeAll
  static void lspci() throws Exception {
    Prerequisites.require(
        Files.isDirectory(Path.of("/sys/bus/pci/devices")),
        "the real /sys with a PCI bus",
        "/sys/bus/pci/devices is not there");
    String out;
    try {
      out = run("lspci", "-D", "-n", "-vmm", "-k");
    } catch (IOException e) {
      out = null;
    }
    Prerequisites.require(out != null, "lspci (Debian package pciutils)", "lspci is not installed");
    lspci = parse(out);
  }

  /** lspci -vmm: blank-line separated records of "Key:\tvalue" lines, keyed by Slot. */
  static Map<String, Map<String, String>> parse(String out) {
    Map<String, Map<String, String>> devices = new TreeMap<>();
    Map<String, String> cur = new LinkedHashMap<>();
    for (String line : (out + "\n\n").split("\n", -1)) {
      if (line.isBlank()) {
        if (cur.containsKey("Slot")) {
          devices.put(cur.get("Slot"), cur);
        }
        cur = new LinkedHashMap<>();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.indexOf('\t') == colon + 1) {
        cur.put(line.substring(0, colon), line.substring(colon + 2).strip());
      }
    }
    return devices;
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed");
    }
    return out;
  }

  @Test
  void everyPciFunctionAgreesWithLspci() {
    PciFunctions f = new SysfsDeviceDiscovery(SysfsRoot.system()).discoverFunctions();
    assertThat(f.skipped()).isEmpty();
    assertThat(lspci).isNotEmpty();
    assertThat(f.functions().stream().map(x -> x.address().toString()).toList())
        .containsExactlyElementsOf(lspci.keySet());
    for (PciFunction fn : f.functions()) {
      Map<String, String> l = lspci.get(fn.address().toString());
      String where = fn.address().toString();
      assertThat(String.format("%04x", fn.classCode() >> 8)).as(where).isEqualTo(l.get("Class"));
      assertThat(fn.vendor().toString()).as(where).isEqualTo(l.get("Vendor"));
      assertThat(fn.device().toString()).as(where).isEqualTo(l.get("Device"));
      if (l.containsKey("SVendor")) {
        assertThat(fn.subsystemVendor().map(Object::toString)).as(where).contains(l.get("SVendor"));
        assertThat(fn.subsystemDevice().map(Object::toString)).as(where).contains(l.get("SDevice"));
      }
      assertThat(fn.driver().map(Object::toString).orElse(null))
          .as(where)
          .isEqualTo(l.get("Driver"));
      if (l.containsKey("NUMANode")) {
        assertThat(fn.numaNode().getAsInt())
            .as(where)
            .isEqualTo(Integer.parseInt(l.get("NUMANode")));
      }
      if (l.containsKey("IOMMUGroup")) {
        assertThat(fn.iommuGroup().orElseThrow().number())
            .as(where)
            .isEqualTo(Integer.parseInt(l.get("IOMMUGroup")));
      }
    }
  }

  @Test
  void networkAndAcceleratorFunctionsAreDiscoveredWithTheirNetdevs() throws Exception {
    Result r = new SysfsDeviceDiscovery(SysfsRoot.system()).discoverAll();
    assertThat(r.skipped()).isEmpty();
    List<String> expected = new ArrayList<>();
    lspci.forEach(
        (slot, l) -> {
          if (l.get("Class").startsWith("02") || l.get("Class").startsWith("12")) {
            expected.add(slot);
          }
        });
    assertThat(
            r.devices().stream()
                .filter(d -> !(d instanceof io.sriov.core.device.AuxNetDevice))
                .map(Device::id)
                .toList())
        .containsExactlyElementsOf(expected);
    for (Device d : r.devices()) {
      if (d instanceof PciNetDevice n && n.netdev().isPresent()) {
        NetInterface nd = n.netdev().get();
        String ip = run("ip", "-o", "link", "show", "dev", nd.name().value());
        assertThat(ip).as(nd.name().value()).contains(" mtu " + nd.mtu() + " ");
        nd.mac().ifPresent(mac -> assertThat(ip).contains("link/ether " + mac + " "));
      }
    }
  }

  @Test
  void singlePfRediscoveryOfEachNetworkFunction() {
    SysfsDeviceDiscovery discovery = new SysfsDeviceDiscovery(SysfsRoot.system());
    Result all = discovery.discoverAll();
    for (Device d : all.devices()) {
      if (d instanceof PciNetDevice n && !n.isVf()) {
        Result one = discovery.discoverPf(PciAddress.parse(d.id()));
        assertThat(one.skipped()).isEmpty();
        assertThat(one.devices()).contains(d);
      }
    }
  }

  /**
   * The provisioner's check before a driver change reads the {@code driver} link relative to the
   * device's open directory: on the real kernel, asking each function for the driver it is on
   * answers that driver (lspci's) and writes nothing; a function without a driver is asked to be
   * unbound and also writes nothing.
   */
  @Test
  void provisionerChecksEachFunctionsDriverWithoutWriting() throws Exception {
    List<String> writes = new ArrayList<>();
    SysfsWriter refusing = (file, value, timeout) -> writes.add(file + "=" + value);
    SriovProvisioner provisioner =
        new SriovProvisioner(
            SysfsRoot.system(),
            refusing,
            new ProvisionTimeouts(
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofMillis(10)));
    int withDriver = 0;
    for (Map.Entry<String, Map<String, String>> e : lspci.entrySet()) {
      PciAddress a = PciAddress.parse(e.getKey());
      String driver = e.getValue().get("Driver");
      if (driver == null) {
        assertThat(provisioner.unbind(a)).as(e.getKey()).isEmpty();
      } else {
        assertThat(provisioner.bindDriver(a, DriverName.of(driver)))
            .as(e.getKey())
            .contains(DriverName.of(driver));
        assertThat(provisioner.currentDriver(a)).as(e.getKey()).contains(DriverName.of(driver));
        withDriver++;
      }
    }
    assertThat(withDriver).isPositive();
    assertThat(writes).isEmpty();
  }
}
