package io.sriov.sysfs.sim;

import io.sriov.core.device.OperState;
import io.sriov.core.port.DeviceEvent;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.os.Errno;
import io.sriov.sysfs.SysfsException;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED kernel: it keeps a generated sysfs/dev tree consistent and reacts to sysfs writes the
 * way Linux does ({@code drivers/pci/iov.c}, {@code drivers/base/bus.c}):
 *
 * <ul>
 *   <li>{@code sriov_numvfs}: 0 removes the VFs; N creates {@code virtfn0..N-1} with {@code physfn}
 *       back-links, binds them to the PF's VF driver and creates their netdevs. Going N to M
 *       without 0 is {@code EBUSY}, above {@code sriov_totalvfs} {@code ERANGE}, not a number
 *       {@code EINVAL}, a PF without driver {@code ENOENT}.
 *   <li>{@code driver_override}, {@code drivers/<d>/bind}, {@code drivers/<d>/unbind}, {@code
 *       drivers_probe}: move the {@code driver} link, create or remove netdevs, {@code
 *       /dev/vfio/N}, {@code uio}, RDMA devices. Binding a bound device is {@code EBUSY}; a driver
 *       that does not match (override or ID) {@code ENODEV}.
 * </ul>
 *
 * Plus what tests need: {@link #setCarrier}, {@link #removeDevice}, one-shot fault injection
 * ({@link #injectFailure}), a stuck write ({@link #stallWrites}) and delayed VF links ({@link
 * #holdVfLinks}). Link changes feed the {@link SimulatedLinkMonitor}s created by {@link
 * #newLinkMonitor()}; PCI add / remove / bind / unbind feed the {@link
 * SimulatedDeviceEventMonitor}s created by {@link #newDeviceEventMonitor()}. Thread-safe: all state
 * changes happen under this object's lock.
 */
public final class SimulatedKernel implements SysfsWriter {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKernel.class);
  private static final DriverName VFIO_PCI = DriverName.VFIO_PCI;
  private static final DriverName UIO_PCI_GENERIC = DriverName.of("uio_pci_generic");
  private static final DriverName IGB_UIO = DriverName.of("igb_uio");

  private final SysfsRoot root;
  private final Topology topology;
  private final Map<PciAddress, SimDevice> devices = new TreeMap<>();
  private final Map<String, SimDevice> netdevs = new TreeMap<>();
  private final Map<Path, Failure> failures = new HashMap<>();
  private final List<SimulatedLinkMonitor> monitors = new CopyOnWriteArrayList<>();
  private final List<SimulatedDeviceEventMonitor> deviceMonitors = new CopyOnWriteArrayList<>();
  private Path stalled;
  private boolean holdVfLinks;
  private int nextIommuGroup = 10;
  private int nextIfIndex = 10;
  private int nextRdma;
  private int nextUio;

  /** Builds the tree for {@code topology} under {@code root} (which must be empty or absent). */
  SimulatedKernel(SysfsRoot root, Topology topology) throws IOException {
    this.root = root;
    this.topology = topology;
    build();
  }

  /** A mutable simulated PCI function. */
  private static final class SimDevice {
    final PciAddress address;
    final PciId vendor;
    final PciId device;
    final int classCode;
    final DriverName defaultDriver;
    final Topology.Pf pf; // the topology entry: its own for a PF, its PF's for a VF
    final SimDevice physfn; // null for a PF
    final int vfIndex;
    final int iommuGroup;
    final Path dir;
    final List<SimDevice> vfs = new ArrayList<>();
    DriverName driver;
    String override;
    String netdev;
    String rdmaDevice;
    String uio;

    SimDevice(
        PciAddress address,
        PciId vendor,
        PciId device,
        int classCode,
        DriverName defaultDriver,
        Topology.Pf pf,
        SimDevice physfn,
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
  }

  // ---------------------------------------------------------------- tree construction

  private void build() throws IOException {
    Files.createDirectories(root.pciDevices());
    Files.createDirectories(root.pciDrivers());
    Files.createDirectories(root.auxDevices());
    Files.createDirectories(root.vdpaDevices());
    Files.createDirectories(root.classNet());
    Files.createDirectories(root.iommuGroups());
    Files.createDirectories(root.dev());
    writeFile(root.sys().resolve("SIMULATION"), "simulated sysfs generated by sriov-sysfs\n");
    writeFile(root.pciDriversProbe(), "");
    writeFile(root.sys().resolve("bus/pci/drivers_autoprobe"), "1\n");
    writeFile(root.devVfioContainer(), "");
    writeFile(root.devVhostNet(), "");
    writeFile(root.devNetTun(), "");
    for (DriverName d : List.of(VFIO_PCI, UIO_PCI_GENERIC)) {
      driverDir(d);
    }
    List<PciAddress> all = new ArrayList<>();
    for (Topology.Pf spec : topology.pfs()) {
      all.add(spec.address());
      for (int i = 0; i < spec.totalVfs(); i++) {
        all.add(spec.vfAddress(i));
      }
    }
    if (all.size() != all.stream().distinct().count()) {
      throw new Topology.InvalidTopologyException(
          "topology: VF address ranges overlap each other or a PF; set firstVf");
    }
    for (Topology.Pf spec : topology.pfs()) {
      driverDir(spec.driver());
      driverDir(spec.vfDriver());
      SimDevice pf =
          createFunction(
              spec.address(),
              spec.vendor(),
              spec.device(),
              spec.classCode(),
              spec.driver(),
              spec,
              null,
              -1);
      writeFile(pf.dir.resolve("sriov_totalvfs"), spec.totalVfs() + "\n");
      writeFile(pf.dir.resolve("sriov_numvfs"), "0\n");
      writeFile(pf.dir.resolve("sriov_offset"), "1\n");
      writeFile(pf.dir.resolve("sriov_stride"), "1\n");
      writeFile(pf.dir.resolve("sriov_vf_device"), spec.vfDevice() + "\n");
      writeFile(pf.dir.resolve("sriov_drivers_autoprobe"), "1\n");
      if (spec.totalVfs() == 0) {
        Files.delete(pf.dir.resolve("sriov_totalvfs"));
        Files.delete(pf.dir.resolve("sriov_numvfs"));
      }
      bind(pf, spec.driver());
      for (int s = 0; s < spec.subFunctions(); s++) {
        createSubFunction(pf, s + 1);
      }
      if (spec.numVfs() > 0) {
        createVfs(pf, spec.numVfs());
      }
    }
    log.info(
        "SIMULATION: simulated node built topology={} pfs={} root={}",
        topology.name(),
        topology.pfs().size(),
        root.sys());
  }

  private void driverDir(DriverName d) throws IOException {
    Path dir = root.pciDriver(d);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      for (String f : List.of("bind", "unbind", "new_id", "remove_id")) {
        writeFile(dir.resolve(f), "");
      }
    }
  }

  private Path deviceDir(PciAddress a) {
    return root.devices().resolve(String.format("pci%04x:00", a.domain())).resolve(a.toString());
  }

  private SimDevice createFunction(
      PciAddress a,
      PciId vendor,
      PciId device,
      int classCode,
      DriverName defaultDriver,
      Topology.Pf spec,
      SimDevice physfn,
      int vfIndex)
      throws IOException {
    Path dir = deviceDir(a);
    Files.createDirectories(dir);
    int group = nextIommuGroup++;
    SimDevice d =
        new SimDevice(
            a, vendor, device, classCode, defaultDriver, spec, physfn, vfIndex, group, dir);
    writeFile(dir.resolve("vendor"), "0x" + vendor + "\n");
    writeFile(dir.resolve("device"), "0x" + device + "\n");
    writeFile(dir.resolve("class"), String.format("0x%06x%n", classCode));
    writeFile(dir.resolve("subsystem_vendor"), "0x" + vendor + "\n");
    writeFile(dir.resolve("subsystem_device"), "0x0000\n");
    writeFile(dir.resolve("revision"), "0x02\n");
    writeUevent(d);
    writeFile(dir.resolve("numa_node"), spec.numaNode() + "\n");
    writeFile(dir.resolve("driver_override"), "(null)\n");
    writeFile(dir.resolve("enable"), "1\n");
    writeFile(dir.resolve("remove"), "");
    if (physfn == null) {
      writeFile(dir.resolve("acpi_index"), (spec.address().function() + 1) + "\n");
    }
    Path groupDir = root.iommuGroups().resolve(Integer.toString(group));
    Files.createDirectories(groupDir.resolve("devices"));
    writeFile(groupDir.resolve("type"), "DMA\n");
    link(groupDir.resolve("devices").resolve(a.toString()), dir);
    link(dir.resolve("iommu_group"), groupDir);
    link(root.pciDevice(a), dir);
    devices.put(a, d);
    return d;
  }

  private void createSubFunction(SimDevice pf, int sfnum) throws IOException {
    String driver = pf.pf.driver().value();
    String name = driver + ".sf." + sfnum;
    Path dir = pf.dir.resolve(name);
    Files.createDirectories(dir);
    writeFile(dir.resolve("sfnum"), sfnum + "\n");
    Path auxDriver = root.sys().resolve("bus/auxiliary/drivers").resolve(driver + ".sf");
    Files.createDirectories(auxDriver);
    link(dir.resolve("driver"), auxDriver);
    link(root.auxDevices().resolve(name), dir);
    Path eth = dir.resolve(driver + ".eth." + sfnum);
    Files.createDirectories(eth);
    link(root.auxDevices().resolve(driver + ".eth." + sfnum), eth);
    String ifName = pf.pf.netdev() + "s" + sfnum;
    createNetdevFiles(eth.resolve("net").resolve(ifName), ifName, pf.pf, macFor(pf.address, sfnum));
    if (pf.pf.rdma()) {
      Files.createDirectories(dir.resolve("infiniband").resolve("mlx5_sf" + sfnum));
    }
  }

  // ---------------------------------------------------------------- SysfsWriter

  @Override
  public void write(Path file, String value, Duration timeout) throws SysfsException {
    Path abs = file.toAbsolutePath().normalize();
    String operation = "write " + quote(value) + " to " + abs;
    Errno injected = null;
    boolean stall;
    synchronized (this) {
      Failure f = failures.get(abs);
      if (f != null && (f.value() == null || f.value().equals(value.strip()))) {
        failures.remove(abs);
        injected = f.errno();
      }
      stall = abs.equals(stalled);
    }
    if (stall) {
      try {
        Thread.sleep(timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new SysfsException(
          operation,
          "",
          abs,
          Errno.ETIMEDOUT,
          "no answer from the kernel within "
              + timeout.toMillis()
              + " ms; the write may still"
              + " complete");
    }
    if (injected != null) {
      log.debug("SIMULATION: injected failure file={} errno={}", abs, injected);
      throw new SysfsException(operation, "", abs, injected, null);
    }
    synchronized (this) {
      Errno e = apply(abs, value);
      if (e != null) {
        throw new SysfsException(operation, "", abs, e, null);
      }
    }
  }

  private Errno apply(Path file, String raw) {
    if (!file.startsWith(root.sys())) {
      return Errno.ENOENT;
    }
    String value = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
    Path rel = root.sys().relativize(file);
    try {
      if (rel.getNameCount() == 5 && rel.startsWith("bus/pci/devices")) {
        SimDevice d = devices.get(PciAddress.parse(rel.getName(3).toString()));
        if (d == null) {
          return Errno.ENOENT;
        }
        return switch (rel.getName(4).toString()) {
          case "sriov_numvfs" -> d.isPf() ? numVfs(d, value) : Errno.ENOENT;
          case "driver_override" -> override(d, value);
          case "remove" -> {
            remove(d);
            yield null;
          }
          default -> plainAttribute(file, raw);
        };
      }
      if (rel.getNameCount() == 5 && rel.startsWith("bus/pci/drivers")) {
        DriverName drv = DriverName.of(rel.getName(3).toString());
        if (!Files.isDirectory(root.pciDriver(drv))) {
          return Errno.ENOENT;
        }
        SimDevice d = PciAddress.isValid(value) ? devices.get(PciAddress.parse(value)) : null;
        return switch (rel.getName(4).toString()) {
          case "bind" -> bindStore(d, drv);
          case "unbind" -> unbindStore(d, drv);
          default -> plainAttribute(file, raw);
        };
      }
      if (rel.equals(root.sys().relativize(root.pciDriversProbe()))) {
        SimDevice d = PciAddress.isValid(value) ? devices.get(PciAddress.parse(value)) : null;
        if (d == null) {
          return Errno.EINVAL;
        }
        if (d.driver == null) {
          probe(d);
        }
        return null;
      }
      if (rel.getNameCount() == 4 && rel.startsWith("class/net")) {
        SimDevice d = netdevs.get(rel.getName(2).toString());
        if (d != null && rel.getName(3).toString().equals("mtu")) {
          return mtu(d, value);
        }
      }
      return plainAttribute(file, raw);
    } catch (IOException e) {
      throw new UncheckedIOException("simulated sysfs tree broken", e);
    } catch (InvalidValueException e) {
      return Errno.EINVAL;
    }
  }

  private static Errno plainAttribute(Path file, String raw) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Errno.ENOENT;
    }
    writeFile(file, raw);
    return null;
  }

  private Errno numVfs(SimDevice pf, String value) throws IOException {
    int n;
    try {
      n = Integer.decode(value.strip());
    } catch (NumberFormatException e) {
      return Errno.EINVAL;
    }
    if (n < 0 || n > 0xffff) {
      return Errno.EINVAL;
    }
    if (n > pf.pf.totalVfs()) {
      return Errno.ERANGE;
    }
    if (n == pf.vfs.size()) {
      return null;
    }
    if (pf.driver == null) {
      return Errno.ENOENT;
    }
    if (n == 0) {
      removeVfs(pf);
      return null;
    }
    if (!pf.vfs.isEmpty()) {
      return Errno.EBUSY;
    }
    createVfs(pf, n);
    return null;
  }

  private void createVfs(SimDevice pf, int n) throws IOException {
    Topology.Pf spec = pf.pf;
    for (int i = 0; i < n; i++) {
      SimDevice vf =
          createFunction(
              spec.vfAddress(i),
              spec.vendor(),
              spec.vfDevice(),
              spec.classCode(),
              spec.vfDriver(),
              spec,
              pf,
              i);
      pf.vfs.add(vf);
      link(vf.dir.resolve("physfn"), pf.dir);
      if (!holdVfLinks) {
        link(pf.dir.resolve("virtfn" + i), vf.dir);
      }
      uevent(DeviceEvent.Action.ADD, vf);
      bind(vf, spec.vfDriver());
    }
    writeFile(pf.dir.resolve("sriov_numvfs"), n + "\n");
    log.debug("SIMULATION: VFs created pf={} numvfs={}", pf.address, n);
  }

  private void removeVfs(SimDevice pf) throws IOException {
    for (SimDevice vf : List.copyOf(pf.vfs)) {
      remove(vf);
    }
    writeFile(pf.dir.resolve("sriov_numvfs"), "0\n");
  }

  private Errno override(SimDevice d, String value) throws IOException {
    String v = value;
    int nul = v.indexOf('\0');
    if (nul >= 0) {
      v = v.substring(0, nul);
    }
    if (v.isEmpty()) {
      d.override = null;
    } else {
      try {
        DriverName.of(v);
      } catch (InvalidValueException e) {
        return Errno.EINVAL;
      }
      d.override = v;
    }
    writeFile(
        d.dir.resolve("driver_override"), (d.override == null ? "(null)" : d.override) + "\n");
    return null;
  }

  private boolean matches(SimDevice d, DriverName drv) {
    if (d.override != null) {
      return d.override.equals(drv.value());
    }
    return drv.equals(d.defaultDriver);
  }

  private Errno bindStore(SimDevice d, DriverName drv) throws IOException {
    if (d == null || !matches(d, drv)) {
      return Errno.ENODEV;
    }
    if (d.driver != null) {
      return Errno.EBUSY;
    }
    bind(d, drv);
    return null;
  }

  private Errno unbindStore(SimDevice d, DriverName drv) throws IOException {
    if (d == null || !drv.equals(d.driver)) {
      return Errno.ENODEV;
    }
    unbind(d);
    return null;
  }

  private void probe(SimDevice d) throws IOException {
    DriverName drv = d.override != null ? DriverName.of(d.override) : d.defaultDriver;
    if (Files.isDirectory(root.pciDriver(drv))) {
      bind(d, drv);
    }
  }

  private Errno mtu(SimDevice d, String value) throws IOException {
    int mtu;
    try {
      mtu = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      return Errno.EINVAL;
    }
    if (mtu < 68 || mtu > 9702) {
      return Errno.EINVAL;
    }
    writeFile(d.dir.resolve("net").resolve(d.netdev).resolve("mtu"), mtu + "\n");
    return null;
  }

  // ---------------------------------------------------------------- binding effects

  /** {@code uevent} as drivers/pci/pci-driver.c and the driver core write it. */
  private static void writeUevent(SimDevice d) throws IOException {
    StringBuilder b = new StringBuilder();
    if (d.driver != null) {
      b.append("DRIVER=").append(d.driver).append('\n');
    }
    String v = d.vendor.toString().toUpperCase(java.util.Locale.ROOT);
    String dev = d.device.toString().toUpperCase(java.util.Locale.ROOT);
    b.append(String.format("PCI_CLASS=%X%n", d.classCode))
        .append("PCI_ID=")
        .append(v)
        .append(':')
        .append(dev)
        .append('\n')
        .append("PCI_SUBSYS_ID=")
        .append(v)
        .append(":0000\n")
        .append("PCI_SLOT_NAME=")
        .append(d.address)
        .append('\n')
        .append(
            String.format(
                "MODALIAS=pci:v0000%sd0000%ssv0000%ssd00000000bc%02Xsc%02Xi%02X%n",
                v, dev, v, d.classCode >> 16, d.classCode >> 8 & 0xff, d.classCode & 0xff));
    writeFile(d.dir.resolve("uevent"), b.toString());
  }

  private void bind(SimDevice d, DriverName drv) throws IOException {
    d.driver = drv;
    writeUevent(d);
    link(d.dir.resolve("driver"), root.pciDriver(drv));
    link(root.pciDriver(drv).resolve(d.address.toString()), d.dir);
    boolean network = (d.classCode >> 16) == 0x02;
    if (drv.equals(VFIO_PCI)) {
      writeFile(root.devVfioGroup(d.iommuGroup), "");
    } else if (drv.equals(IGB_UIO)) {
      d.uio = "uio" + nextUio++;
      Files.createDirectories(d.dir.resolve("uio").resolve(d.uio));
      writeFile(root.devUio(d.uio), "");
    } else if (network && !drv.isUserspaceDriver()) {
      String name = d.isPf() ? d.pf.netdev().value() : d.pf.netdev().value() + "v" + d.vfIndex;
      createNetdev(d, name);
      if (d.pf.rdma()) {
        createRdma(d);
      }
    }
    uevent(DeviceEvent.Action.BIND, d);
  }

  private void unbind(SimDevice d) throws IOException {
    if (d.driver == null) {
      return;
    }
    Files.deleteIfExists(root.pciDriver(d.driver).resolve(d.address.toString()));
    Files.deleteIfExists(d.dir.resolve("driver"));
    if (d.driver.equals(VFIO_PCI)) {
      Files.deleteIfExists(root.devVfioGroup(d.iommuGroup));
    }
    d.driver = null;
    writeUevent(d);
    if (d.uio != null) {
      Files.deleteIfExists(root.devUio(d.uio));
      deleteTree(d.dir.resolve("uio"));
      d.uio = null;
    }
    if (d.netdev != null) {
      removeNetdev(d);
    }
    if (d.rdmaDevice != null) {
      removeRdma(d);
    }
    uevent(DeviceEvent.Action.UNBIND, d);
  }

  private void createNetdev(SimDevice d, String name) throws IOException {
    Path dir = d.dir.resolve("net").resolve(name);
    createNetdevFiles(dir, name, d.pf, macFor(d.address, 0));
    if (d.pf.switchId() != null && d.isPf()) {
      writeFile(dir.resolve("phys_switch_id"), d.pf.switchId() + "\n");
      writeFile(dir.resolve("phys_port_name"), "p" + d.address.function() + "\n");
    }
    link(root.classNet().resolve(name), dir);
    d.netdev = name;
    netdevs.put(name, d);
    emit(LinkEvent.Kind.PRESENT, name, dir);
  }

  private void createNetdevFiles(Path dir, String name, Topology.Pf spec, String mac)
      throws IOException {
    Files.createDirectories(dir);
    boolean ib = spec.linkType().equals("infiniband");
    writeFile(dir.resolve("address"), mac + "\n");
    writeFile(dir.resolve("mtu"), (ib ? 2044 : spec.mtu()) + "\n");
    writeFile(dir.resolve("type"), (ib ? 32 : 1) + "\n");
    writeFile(dir.resolve("operstate"), "up\n");
    writeFile(dir.resolve("carrier"), "1\n");
    writeFile(dir.resolve("speed"), spec.speedMbps() + "\n");
    writeFile(dir.resolve("ifindex"), nextIfIndex++ + "\n");
  }

  private void removeNetdev(SimDevice d) throws IOException {
    String name = d.netdev;
    Path dir = d.dir.resolve("net").resolve(name);
    int ifIndex = readIfIndex(dir);
    Files.deleteIfExists(root.classNet().resolve(name));
    deleteTree(d.dir.resolve("net"));
    netdevs.remove(name);
    d.netdev = null;
    for (SimulatedLinkMonitor m : monitors) {
      m.publish(
          new LinkEvent(
              LinkEvent.Kind.REMOVED,
              ifIndex,
              InterfaceName.of(name),
              OperState.NOTPRESENT,
              false));
    }
  }

  private void createRdma(SimDevice d) throws IOException {
    int n = nextRdma++;
    d.rdmaDevice = "mlx5_" + n;
    Path ibDev = Files.createDirectories(d.dir.resolve("infiniband").resolve(d.rdmaDevice));
    // The default partition key at index 0 of port 1, as the kernel prints it.
    Path pkeys = Files.createDirectories(ibDev.resolve("ports/1/pkeys"));
    writeFile(pkeys.resolve("0"), "0xffff\n");
    Files.createDirectories(d.dir.resolve("infiniband_verbs").resolve("uverbs" + n));
    Files.createDirectories(d.dir.resolve("infiniband_mad").resolve("umad" + n));
    Files.createDirectories(d.dir.resolve("infiniband_mad").resolve("issm" + n));
    writeFile(root.devInfiniband("uverbs" + n), "");
    writeFile(root.devInfiniband("umad" + n), "");
    writeFile(root.devInfiniband("issm" + n), "");
    writeFile(root.devInfiniband("rdma_cm"), "");
  }

  private void removeRdma(SimDevice d) throws IOException {
    int n = Integer.parseInt(d.rdmaDevice.substring("mlx5_".length()));
    for (String node : List.of("uverbs" + n, "umad" + n, "issm" + n)) {
      Files.deleteIfExists(root.devInfiniband(node));
    }
    for (String sub : List.of("infiniband", "infiniband_verbs", "infiniband_mad")) {
      deleteTree(d.dir.resolve(sub));
    }
    d.rdmaDevice = null;
  }

  private void remove(SimDevice d) throws IOException {
    for (SimDevice vf : List.copyOf(d.vfs)) {
      remove(vf);
    }
    unbind(d);
    if (d.physfn != null) {
      Files.deleteIfExists(d.physfn.dir.resolve("virtfn" + d.vfIndex));
      d.physfn.vfs.remove(d);
      writeFile(d.physfn.dir.resolve("sriov_numvfs"), d.physfn.vfs.size() + "\n");
    }
    Files.deleteIfExists(root.pciDevice(d.address));
    deleteTree(root.iommuGroups().resolve(Integer.toString(d.iommuGroup)));
    deleteTree(d.dir);
    devices.remove(d.address);
    uevent(DeviceEvent.Action.REMOVE, d);
  }

  /** The kobject uevent the kernel broadcasts for {@code d} (DRIVER= while bound). */
  private void uevent(DeviceEvent.Action action, SimDevice d) {
    if (deviceMonitors.isEmpty()) {
      return;
    }
    Path dir = d.dir.toAbsolutePath().normalize();
    Path sys = root.sys().toAbsolutePath().normalize();
    String devpath = dir.startsWith(sys) ? "/" + sys.relativize(dir) : dir.toString();
    DeviceEvent e =
        new DeviceEvent(
            action, "pci", devpath, Optional.of(d.address), Optional.ofNullable(d.driver));
    for (SimulatedDeviceEventMonitor m : deviceMonitors) {
      m.publish(e);
    }
  }

  // ---------------------------------------------------------------- test controls

  /** Sets a netdev's carrier (and operstate) as a cable pull or link-partner change would. */
  public synchronized void setCarrier(InterfaceName name, boolean up) throws IOException {
    SimDevice d = netdevs.get(name.value());
    if (d == null) {
      throw new IllegalArgumentException("SIMULATION: no netdev " + name);
    }
    Path dir = d.dir.resolve("net").resolve(name.value());
    writeFile(dir.resolve("carrier"), (up ? "1" : "0") + "\n");
    writeFile(dir.resolve("operstate"), (up ? "up" : "down") + "\n");
    for (SimulatedLinkMonitor m : monitors) {
      m.publish(
          new LinkEvent(
              LinkEvent.Kind.CHANGED,
              readIfIndex(dir),
              name,
              up ? OperState.UP : OperState.DOWN,
              up));
    }
  }

  /**
   * Unloads a driver as {@code modprobe -r} would: its devices become unbound and its {@code
   * drivers/<d>} directory disappears.
   */
  public synchronized void unloadDriver(DriverName driver) throws IOException {
    for (SimDevice d : List.copyOf(devices.values())) {
      if (driver.equals(d.driver)) {
        unbind(d);
      }
    }
    deleteTree(root.pciDriver(driver));
    log.info("SIMULATION: driver unloaded driver={}", driver);
  }

  /** Removes a function (and a PF's VFs) as a surprise hot-unplug would. */
  public synchronized void removeDevice(PciAddress address) throws IOException {
    SimDevice d = devices.get(address);
    if (d == null) {
      throw new IllegalArgumentException("SIMULATION: no PCI device " + address);
    }
    remove(d);
    log.info("SIMULATION: device removed pci={}", address);
  }

  /** The next write to {@code file} fails with {@code errno} and changes nothing. */
  public synchronized void injectFailure(Path file, Errno errno) {
    failures.put(file.toAbsolutePath().normalize(), new Failure(null, errno));
  }

  /** The next write of {@code value} to {@code file} fails with {@code errno}. */
  public synchronized void injectFailure(Path file, String value, Errno errno) {
    failures.put(file.toAbsolutePath().normalize(), new Failure(value, errno));
  }

  private record Failure(String value, Errno errno) {}

  /** Writes to {@code file} hang until the caller's timeout (a stuck driver); null clears. */
  public synchronized void stallWrites(Path file) {
    stalled = file == null ? null : file.toAbsolutePath().normalize();
  }

  /**
   * While held, {@code sriov_numvfs} creates the VFs but not the PF's {@code virtfnN} links (as
   * when udev/the driver is slow); releasing creates the missing links.
   */
  public synchronized void holdVfLinks(boolean hold) throws IOException {
    holdVfLinks = hold;
    if (!hold) {
      for (SimDevice d : devices.values()) {
        for (SimDevice vf : d.vfs) {
          Path l = d.dir.resolve("virtfn" + vf.vfIndex);
          if (!Files.isSymbolicLink(l)) {
            link(l, vf.dir);
          }
        }
      }
    }
  }

  /** A link monitor fed by this kernel's netdev and carrier changes (closing it detaches it). */
  public SimulatedLinkMonitor newLinkMonitor() {
    SimulatedLinkMonitor m = new SimulatedLinkMonitor(this);
    monitors.add(m);
    return m;
  }

  void detach(SimulatedLinkMonitor m) {
    monitors.remove(m);
  }

  /**
   * A device event monitor fed by this kernel's PCI uevents: VFs added and removed, drivers bound
   * and unbound (closing it detaches it).
   */
  public SimulatedDeviceEventMonitor newDeviceEventMonitor() {
    SimulatedDeviceEventMonitor m = new SimulatedDeviceEventMonitor(this);
    deviceMonitors.add(m);
    return m;
  }

  void detach(SimulatedDeviceEventMonitor m) {
    deviceMonitors.remove(m);
  }

  /** Current netdevs, as a link dump would list them. */
  synchronized List<LinkEvent> links() {
    List<LinkEvent> out = new ArrayList<>();
    for (Map.Entry<String, SimDevice> e : netdevs.entrySet()) {
      Path dir = e.getValue().dir.resolve("net").resolve(e.getKey());
      boolean carrier = readText(dir.resolve("carrier")).equals("1");
      out.add(
          new LinkEvent(
              LinkEvent.Kind.PRESENT,
              readIfIndex(dir),
              InterfaceName.of(e.getKey()),
              OperState.parse(readText(dir.resolve("operstate"))),
              carrier));
    }
    return out;
  }

  private void emit(LinkEvent.Kind kind, String name, Path dir) {
    for (SimulatedLinkMonitor m : monitors) {
      m.publish(new LinkEvent(kind, readIfIndex(dir), InterfaceName.of(name), OperState.UP, true));
    }
  }

  /** The driver currently bound to {@code address}, as the simulated kernel knows it. */
  public synchronized Optional<DriverName> driverOf(PciAddress address) {
    SimDevice d = devices.get(address);
    return d == null ? Optional.empty() : Optional.ofNullable(d.driver);
  }

  public SysfsRoot root() {
    return root;
  }

  public Topology topology() {
    return topology;
  }

  // ---------------------------------------------------------------- file helpers

  private static int readIfIndex(Path netdevDir) {
    String s = readText(netdevDir.resolve("ifindex"));
    return s.isEmpty() ? 0 : Integer.parseInt(s);
  }

  private static String readText(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  static String macFor(PciAddress a, int extra) {
    return String.format(
        "02:%02x:%02x:%02x:%02x:%02x",
        a.domain() & 0xff,
        a.bus(),
        a.device() << 3 | a.function(),
        extra >> 8 & 0xff,
        extra & 0xff);
  }

  private static void writeFile(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  private static void link(Path link, Path target) throws IOException {
    Files.createDirectories(link.getParent());
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, link.getParent().relativize(target));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String quote(String value) {
    return "\"" + value.replace("\n", "\\n").replace("\0", "\\0") + "\"";
  }

  @Override
  public String toString() {
    return "SimulatedKernel[SIMULATION topology=" + topology.name() + " root=" + root.sys() + "]";
  }
}
