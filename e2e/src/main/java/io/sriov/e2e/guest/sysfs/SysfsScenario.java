package io.sriov.e2e.guest.sysfs;

import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.e2e.guest.Evidence;
import io.sriov.e2e.guest.GuestScenario;
import io.sriov.sysfs.KernelSysfsWriter;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import io.sriov.sysfs.provision.NumVfsChange;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * sriov-sysfs on the guest's real sysfs: VF creation and removal with {@link SriovProvisioner},
 * discovery with {@link SysfsDeviceDiscovery} (recorded next to {@code lspci}, {@code ip -j link}
 * and the {@code driver} links, for the host test to compare), and a VF moved to vfio-pci and back.
 * Needs the two igb PFs at 0000:00:02.0 and 0000:00:04.0 with no VFs; leaves them so.
 */
public final class SysfsScenario implements GuestScenario {

  static final PciAddress PF0 = PciAddress.parse("0000:00:02.0");
  static final PciAddress PF1 = PciAddress.parse("0000:00:04.0");

  @Override
  public String name() {
    return "sysfs";
  }

  @Override
  public void run(Evidence ev) throws Exception {
    SysfsRoot root = SysfsRoot.system();
    SysfsDeviceDiscovery discovery = new SysfsDeviceDiscovery(root);
    try (KernelSysfsWriter writer = new KernelSysfsWriter()) {
      SriovProvisioner provisioner =
          new SriovProvisioner(root, writer, ProvisionTimeouts.defaults());
      ev.lines("discovery-before", describe(discovery.discoverAll()));

      ev.value("create.pf0", change(provisioner.setNumVfs(PF0, 3)));
      ev.value("create.pf1", change(provisioner.setNumVfs(PF1, 2)));
      ev.value("create.pf0.again", change(provisioner.setNumVfs(PF0, 3)));
      ev.value("over-total.error", error(() -> provisioner.setNumVfs(PF1, 8)));
      ev.value(
          "not-sriov.error",
          error(() -> provisioner.setNumVfs(PciAddress.parse("0000:00:1f.0"), 1)));

      ev.lines("discovery", describe(discovery.discoverAll()));
      ev.lines("discovery-pf1", describe(discovery.discoverPf(PF1)));
      ev.command("lspci", List.of("lspci", "-D", "-n"));
      ev.command("ip-link", List.of("ip", "-j", "-d", "link", "show"));
      ev.command("drivers", Evidence.DRIVER_LINKS);

      PciAddress vf = PciAddress.parse("0000:00:12.2");
      ev.value(
          "vfio.previous",
          String.valueOf(
              provisioner
                  .bindDriver(vf, DriverName.of("vfio-pci"))
                  .map(DriverName::value)
                  .orElse("-")));
      ev.value("vfio.current", driver(provisioner.currentDriver(vf)));
      ev.lines("vfio.discovery-pf0", describe(discovery.discoverPf(PF0)));
      ev.command("vfio.drivers", Evidence.DRIVER_LINKS);
      ev.command("vfio.dev", List.of("ls", "/dev/vfio"));
      ev.value("vfio.again", driver(provisioner.bindDriver(vf, DriverName.of("vfio-pci"))));
      ev.value("default.driver", provisioner.bindDefaultDriver(vf).value());
      ev.value("default.current", driver(provisioner.currentDriver(vf)));
      ev.value(
          "bind-missing-driver.error",
          error(() -> provisioner.bindDriver(vf, DriverName.of("nosuchdrv"))));

      ev.value("remove.pf0", change(provisioner.setNumVfs(PF0, 0)));
      ev.value("remove.pf1", change(provisioner.setNumVfs(PF1, 0)));
      ev.lines("discovery-after", describe(discovery.discoverAll()));
    }
  }

  private interface Call {
    Object call() throws Exception;
  }

  private static String error(Call call) {
    try {
      return "no error: " + call.call();
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static String change(NumVfsChange c) {
    return c.before() + " " + c.after() + " " + c.changed();
  }

  private static String driver(Optional<DriverName> d) {
    return d.map(DriverName::value).orElse("-");
  }

  /**
   * One line per network device: {@code address role pf index driver netdev vendor:device
   * iommu-group}, "-" where absent; then {@code skipped <id> <reason>} lines.
   */
  static List<String> describe(DeviceDiscovery.Result result) {
    List<String> out = new ArrayList<>();
    for (Device d : result.devices()) {
      if (!(d instanceof PciNetDevice n)) {
        continue;
      }
      String role;
      String pf = "-";
      String index = "-";
      switch (n.role()) {
        case SriovRole.PhysicalFunction p -> role = "pf(" + p.numVfs() + "/" + p.totalVfs() + ")";
        case SriovRole.VirtualFunction v -> {
          role = "vf";
          pf = v.pf().toString();
          index = Integer.toString(v.index().value());
        }
        case SriovRole.None none -> role = "none";
      }
      out.add(
          String.join(
              " ",
              n.address().toString(),
              role,
              pf,
              index,
              n.driver().map(DriverName::value).orElse("-"),
              n.netdev().map(i -> i.name().toString()).orElse("-"),
              n.vendor() + ":" + n.deviceId(),
              n.pci().iommuGroup().map(g -> Integer.toString(g.number())).orElse("-")));
    }
    result.skipped().forEach(s -> out.add("skipped " + s.id() + " " + s.reason()));
    return out;
  }
}
