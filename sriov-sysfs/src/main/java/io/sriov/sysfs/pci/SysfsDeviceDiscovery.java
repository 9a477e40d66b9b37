package io.sriov.sysfs.pci;

import static io.sriov.sysfs.pci.AttributeReader.decimal;
import static io.sriov.sysfs.pci.AttributeReader.hex;
import static io.sriov.sysfs.pci.AttributeReader.shorten;

import io.sriov.core.device.AcceleratorDevice;
import io.sriov.core.device.AuxDeviceName;
import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.IommuGroup;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciFunction;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.device.SriovRole;
import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.NetdevSnapshot;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.core.value.VfIndex;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers the node's PCI network functions (class 0x02), accelerators (class 0x12) and the
 * auxiliary devices of network functions from sysfs (the shell equivalent: {@code lspci -D -n},
 * {@code ls -l /sys/bus/pci/devices/<a>/}, {@code ls /sys/bus/auxiliary/devices}). Other PCI
 * classes are ignored. A device whose files are missing, malformed or change under the walk is
 * reported in {@link Result#skipped()} with the reason; discovery never throws for it.
 *
 * <p>Thread-safe: every call is an independent walk with its own caches.
 */
public final class SysfsDeviceDiscovery implements DeviceDiscovery {
  private static final Logger log = LoggerFactory.getLogger(SysfsDeviceDiscovery.class);
  private static final PciId VIRTIO_VENDOR = new PciId(0x1af4);
  private static final int CLASS_INFINIBAND = 0x0207;

  /**
   * PCI functions by address, then auxiliary devices by parent address and name (written out: the
   * composed comparator's boxing and lambdas cost more than the walk's other Java work under C1).
   */
  private static final Comparator<Device> DEVICE_ORDER =
      (a, b) -> {
        boolean auxA = a instanceof AuxNetDevice;
        boolean auxB = b instanceof AuxNetDevice;
        if (auxA != auxB) {
          return auxA ? 1 : -1;
        }
        int c = a.pci().address().compareTo(b.pci().address());
        return c != 0 ? c : a.id().compareTo(b.id());
      };

  private final SysfsRoot root;

  /**
   * The readers every walk of this discovery borrows, one per open device directory: a reader holds
   * 136 KiB (two direct buffers and a 64 KiB array), so neither a walk nor a thread makes its own
   * (see {@link SysfsReader.Pool} for the idle RSS creep each of those caused).
   */
  private final SysfsReader.Pool readers;

  /** The netdevs' facts as the caller's read of the kernel gave them; null: read their files. */
  private final NetdevSnapshot netdevs;

  public SysfsDeviceDiscovery(SysfsRoot root) {
    this(root, SysfsReader::create);
  }

  /** With a chosen kind of reader (tests run every case with both readers). */
  SysfsDeviceDiscovery(SysfsRoot root, Supplier<SysfsReader> readerFactory) {
    this(root, new SysfsReader.Pool(readerFactory), null);
  }

  private SysfsDeviceDiscovery(SysfsRoot root, SysfsReader.Pool readers, NetdevSnapshot netdevs) {
    this.root = root;
    this.readers = readers;
    this.netdevs = netdevs;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: a netdev listed under a device's {@code net/} that {@code netdevs} has on that device
   * is taken from it ({@code mtu}, {@code type}, {@code address}, {@code operstate}, {@code
   * carrier}); one it lacks is read from its files as without a snapshot. The view shares this
   * discovery's readers.
   */
  @Override
  public SysfsDeviceDiscovery withNetdevs(NetdevSnapshot netdevs) {
    return new SysfsDeviceDiscovery(root, readers, Objects.requireNonNull(netdevs, "netdevs"));
  }

  /** Readers this discovery has made (tests: bounded by concurrency, not by walks or threads). */
  int readersCreated() {
    return readers.created();
  }

  @Override
  public Result discoverAll() {
    Walk w = new Walk();
    List<String> entries;
    try {
      entries = SysfsFiles.list(root.pciDevices());
    } catch (IOException e) {
      w.skip(root.display(root.pciDevices()), "unreadable (" + e.getMessage() + ")");
      return w.result();
    }
    List<PciAddress> addresses = w.addresses(entries);
    w.vdpa = w.readVdpa();
    addresses.parallelStream().forEach(w::device);
    w.auxDevices(null);
    return w.result();
  }

  @Override
  public Result discoverPf(PciAddress pf) {
    return discoverPf(pf, new Walk());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: the PF's {@code virtfnN} links are not listed and read again, nor each VF's {@code
   * physfn} link (two of a VF's ~20 reads), when the PF's {@code sriov_numvfs} still equals {@code
   * vfs.size()}; otherwise the links are read as by {@link #discoverPf(PciAddress)}.
   */
  @Override
  public Result discoverPf(PciAddress pf, List<PciAddress> vfs) {
    Walk w = new Walk();
    Map<PciAddress, Integer> byAddress = new HashMap<>();
    for (int i = 0; i < vfs.size(); i++) {
      byAddress.put(vfs.get(i), i);
    }
    if (byAddress.size() == vfs.size()) {
      w.verifiedPf = pf;
      w.verifiedVfs = byAddress;
    }
    return discoverPf(pf, w);
  }

  private Result discoverPf(PciAddress pf, Walk w) {
    Device d = w.device(pf);
    if (d == null) {
      if (w.skipped.isEmpty()) {
        w.skip(pf.toString(), "not a network or accelerator PCI function");
      }
      return w.result();
    }
    SriovRole role =
        switch (d) {
          case PciNetDevice n -> n.role();
          case AcceleratorDevice acc -> acc.role();
          case AuxNetDevice aux -> SriovRole.NONE;
        };
    Set<PciAddress> scope = new HashSet<>();
    scope.add(pf);
    if (role instanceof SriovRole.VirtualFunction vf) {
      w.devices.clear();
      w.skip(pf.toString(), "is VF " + vf.index() + " of " + vf.pf() + ", not a PF");
      return w.result();
    }
    if (role instanceof SriovRole.PhysicalFunction p) {
      if (w.verifiedVfs != null && p.numVfs() == w.verifiedVfs.size()) {
        w.vfLists.put(pf, w.verifiedVfs);
        w.verifiedPfNuma = d.pci().numaNode();
      } else {
        w.verifiedVfs = null; // the count changed since the caller's check: read the links
      }
      try {
        // In the map's order, not sorted: the walk's result is sorted (DEVICE_ORDER), and reading
        // one VF does not depend on another having been read.
        Set<PciAddress> vfs = w.vfsOf(pf).keySet();
        scope.addAll(vfs);
        vfs.forEach(w::device);
      } catch (SkipException e) {
        w.skip(pf.toString(), e.getMessage());
      }
    }
    w.auxDevices(scope);
    return w.result();
  }

  /** Every PCI function regardless of class, as {@code lspci -D -n} lists them. */
  public PciFunctions discoverFunctions() {
    Walk w = new Walk();
    List<PciFunction> functions = new ArrayList<>();
    try {
      for (PciAddress a : w.addresses(SysfsFiles.list(root.pciDevices()))) {
        try (DeviceDir dir = w.deviceDir(a)) {
          int cls = w.classCode(dir);
          functions.add(w.function(a, dir, cls));
        } catch (SkipException e) {
          w.skip(a.toString(), e.getMessage());
        }
      }
    } catch (IOException e) {
      w.skip(root.display(root.pciDevices()), "unreadable (" + e.getMessage() + ")");
    }
    return new PciFunctions(functions, w.skipped);
  }

  @Override
  public String toString() {
    return "SysfsDeviceDiscovery[" + root + (netdevs == null ? "" : ", " + netdevs) + "]";
  }

  /** One walk: its results and the per-walk caches (PF VF lists, PF netdevs, aux/vdpa maps). */
  private final class Walk {
    // Devices are read in parallel: shared state is concurrent, readers are lent per open
    // directory,
    // and per-PF facts computed twice under a race are simply the same reads done twice.
    final List<Device> devices = Collections.synchronizedList(new ArrayList<>());
    final List<Skipped> skipped = Collections.synchronizedList(new ArrayList<>());
    final Map<PciAddress, PciNetDevice> netDevices = new ConcurrentHashMap<>();
    final Set<PciAddress> skippedNet = ConcurrentHashMap.newKeySet();
    final Map<PciAddress, Map<PciAddress, Integer>> vfLists = new ConcurrentHashMap<>();
    final Map<PciAddress, PfFacts> pfFacts = new ConcurrentHashMap<>();
    volatile Map<PciAddress, VdpaDevice> vdpa;

    /**
     * The PF whose VFs' links the caller verified, and those VFs by address ({@link
     * #discoverPf(PciAddress, List)}); null otherwise or once found stale.
     */
    PciAddress verifiedPf;

    volatile Map<PciAddress, Integer> verifiedVfs;

    /**
     * {@link #verifiedPf}'s NUMA node as this walk read it, once its VF list is taken as verified.
     */
    volatile OptionalInt verifiedPfNuma;

    void skip(String id, String reason) {
      log.debug("device skipped id={} reason={}", id, reason);
      skipped.add(new Skipped(id, reason));
    }

    Result result() {
      List<Device> sorted = new ArrayList<>(devices);
      sorted.sort(DEVICE_ORDER);
      List<Skipped> skips = new ArrayList<>(skipped);
      skips.sort(Comparator.comparing(Skipped::id).thenComparing(Skipped::reason));
      return new Result(sorted, skips);
    }

    List<PciAddress> addresses(List<String> entries) {
      List<PciAddress> out = new ArrayList<>(entries.size());
      for (String e : entries) {
        try {
          out.add(PciAddress.parse(e));
        } catch (InvalidValueException ex) {
          skip(shorten(e), "not a PCI address: " + ex.getMessage());
        }
      }
      Collections.sort(out);
      return out;
    }

    /** Reads one function; adds it to the result (or to skipped); null when ignored/skipped. */
    Device device(PciAddress a) {
      try (DeviceDir dir = deviceDir(a)) {
        int cls = classCode(dir);
        int base = (cls >> 16) & 0xff;
        if (base != PciFunction.CLASS_NETWORK && base != PciFunction.CLASS_ACCELERATOR) {
          return null;
        }
        PciFunction f = function(a, dir, cls);
        SriovRole role = role(a, dir);
        Device d;
        if (base == PciFunction.CLASS_ACCELERATOR) {
          d = new AcceleratorDevice(f, role);
        } else {
          PciNetDevice n = netDevice(a, dir, f, role);
          netDevices.put(a, n);
          d = n;
        }
        devices.add(d);
        return d;
      } catch (SkipException e) {
        skippedNet.add(a);
        skip(a.toString(), e.getMessage());
        return null;
      } catch (RuntimeException e) {
        // A value the kernel should never show (a model invariant broken): report, do not crash.
        log.warn("device unreadable pci={}", a, e);
        skippedNet.add(a);
        skip(a.toString(), "unexpected content: " + e);
        return null;
      }
    }

    DeviceDir deviceDir(PciAddress a) throws SkipException {
      DeviceDir dir = DeviceDir.open(readers, root.pciDevice(a));
      if (dir == null) {
        throw new SkipException(
            "device directory missing (dangling link or removed during discovery)");
      }
      return dir;
    }

    /**
     * The class code: from {@code uevent} (PCI_CLASS), which also carries the IDs and the driver,
     * so one read replaces five files and a link; from the {@code class} file otherwise.
     */
    int classCode(DeviceDir dir) throws SkipException {
      Map<String, String> ue = dir.uevent();
      if (ue != null && ue.containsKey("PCI_CLASS")) {
        return hex("uevent PCI_CLASS", ue.get("PCI_CLASS"));
      }
      return hex("class", dir.required("class"));
    }

    PciFunction function(PciAddress a, DeviceDir dir, int cls) throws SkipException {
      Map<String, String> ue = dir.uevent();
      PciId vendor;
      PciId device;
      Optional<PciId> subVendor;
      Optional<PciId> subDevice;
      if (ue != null && ue.containsKey("PCI_ID")) {
        PciId[] ids = idPair("PCI_ID", ue.get("PCI_ID"));
        vendor = ids[0];
        device = ids[1];
      } else {
        vendor = id(dir, "vendor", true).orElseThrow();
        device = id(dir, "device", true).orElseThrow();
      }
      if (ue != null && ue.containsKey("PCI_SUBSYS_ID")) {
        PciId[] ids = idPair("PCI_SUBSYS_ID", ue.get("PCI_SUBSYS_ID"));
        subVendor = Optional.of(ids[0]);
        subDevice = Optional.of(ids[1]);
      } else {
        subVendor = id(dir, "subsystem_vendor", false);
        subDevice = id(dir, "subsystem_device", false);
      }
      Optional<DriverName> driver = driver(dir);
      OptionalInt numa = verifiedVfNuma(a);
      if (numa == null) {
        numa = dir.optionalDecimal("numa_node");
        if (numa.isPresent() && numa.getAsInt() < 0) {
          numa = OptionalInt.empty();
        }
      }
      Optional<IommuGroup> group = iommuGroup(dir, driver);
      OptionalInt acpi = dir.optionalDecimal("acpi_index");
      // uio/ holds the UIO device a UIO driver registers when it binds: an unbound function, or one
      // on vfio-pci, has none (one open saved per VF given to vfio-pci).
      List<String> uio =
          driver.isEmpty() || driver.get().equals(DriverName.VFIO_PCI)
              ? List.of()
              : dir.list("uio");
      return new PciFunction(
          a, vendor, device, cls, subVendor, subDevice, driver, numa, group, acpi, uio);
    }

    /**
     * A verified VF's NUMA node: its PF's, as read by this walk (the kernel creates a VF on its
     * PF's bus or a virtual bus below it and gives a device its bus's node; a PF {@code numa_node}
     * rewritten by hand is the exception); null when {@code a} is not one of the caller's verified
     * VFs, whose {@code numa_node} is then read.
     */
    OptionalInt verifiedVfNuma(PciAddress a) {
      Map<PciAddress, Integer> verified = verifiedVfs;
      OptionalInt pfNuma = verifiedPfNuma;
      return verified != null && pfNuma != null && verified.containsKey(a) ? pfNuma : null;
    }

    /** {@code 8086:1889} (uevent's upper-case form) as two IDs. */
    PciId[] idPair(String key, String value) throws SkipException {
      int colon = value.indexOf(':');
      if (colon != 4 || value.length() != 9) {
        throw new SkipException("uevent " + key + ": \"" + shorten(value) + "\" is malformed");
      }
      return new PciId[] {
        new PciId(hex("uevent " + key, value.substring(0, 4))),
        new PciId(hex("uevent " + key, value.substring(5)))
      };
    }

    Optional<PciId> id(DeviceDir dir, String name, boolean required) throws SkipException {
      Optional<String> s = required ? Optional.of(dir.required(name)) : dir.optional(name);
      if (s.isEmpty()) {
        return Optional.empty();
      }
      int v = hex(name, s.get());
      if (v > 0xffff) {
        throw new SkipException(name + ": \"" + shorten(s.get()) + "\" is not a 16-bit ID");
      }
      return Optional.of(new PciId(v));
    }

    /** {@code uevent} DRIVER= (absent: unbound), or the {@code driver} link without uevent. */
    Optional<DriverName> driver(DeviceDir dir) throws SkipException {
      Map<String, String> ue = dir.uevent();
      String name;
      if (ue != null) {
        name = ue.get("DRIVER");
        if (name == null) {
          return Optional.empty();
        }
      } else {
        Optional<Path> target = dir.link("driver");
        if (target.isEmpty()) {
          return Optional.empty();
        }
        name = String.valueOf(target.get().getFileName());
      }
      try {
        return Optional.of(DriverName.of(name));
      } catch (InvalidValueException e) {
        throw new SkipException("driver: " + e.getMessage());
      }
    }

    Optional<IommuGroup> iommuGroup(DeviceDir dir, Optional<DriverName> driver)
        throws SkipException {
      Optional<Path> target = dir.link("iommu_group");
      if (target.isEmpty()) {
        return Optional.empty();
      }
      String name = String.valueOf(target.get().getFileName());
      int n = decimal("iommu_group", name);
      if (n < 0) {
        throw new SkipException("iommu_group: \"" + name + "\" is negative");
      }
      // vfio creates its no-IOMMU group when the device binds to vfio-pci; only then ask.
      boolean noIommu = false;
      if (driver.map(DriverName.VFIO_PCI::equals).orElse(false)) {
        noIommu = dir.lenient("iommu_group/name").map("vfio-noiommu"::equals).orElse(false);
      }
      return Optional.of(new IommuGroup(n, noIommu));
    }

    /**
     * PF, VF or neither. {@code physfn} is asked first: a VF cannot carry the SR-IOV capability
     * itself (PCIe SR-IOV 1.1, 3.3), so for the hundreds of VFs of a node the probe of {@code
     * sriov_totalvfs} is saved.
     */
    SriovRole role(PciAddress a, DeviceDir dir) throws SkipException {
      Map<PciAddress, Integer> verified = verifiedVfs;
      Integer verifiedIndex = verified == null ? null : verified.get(a);
      if (verifiedIndex != null) {
        return new SriovRole.VirtualFunction(
            verifiedPf, new VfIndex(verifiedIndex), pfFacts(verifiedPf).name());
      }
      Optional<Path> physfn = dir.link("physfn");
      if (physfn.isPresent()) {
        PciAddress pf = addressOfLink("physfn", physfn.get());
        Integer index = vfsOf(pf).get(a);
        if (index == null) {
          throw new SkipException(
              "physfn: PF " + pf + " does not list this VF (VFs being created or removed?)");
        }
        return new SriovRole.VirtualFunction(pf, new VfIndex(index), pfFacts(pf).name());
      }
      Optional<String> total = dir.optional("sriov_totalvfs");
      if (total.isEmpty()) {
        return SriovRole.NONE;
      }
      int t = decimal("sriov_totalvfs", total.get());
      int n = decimal("sriov_numvfs", dir.required("sriov_numvfs"));
      if (t < 0 || n < 0 || n > t) {
        throw new SkipException(
            "sriov_numvfs " + n + " and sriov_totalvfs " + t + " are inconsistent");
      }
      return new SriovRole.PhysicalFunction(t, n);
    }

    PciAddress addressOfLink(String what, Path target) throws SkipException {
      String name = String.valueOf(target.getFileName());
      try {
        return PciAddress.parse(name);
      } catch (InvalidValueException e) {
        throw new SkipException(what + ": link target is not a PCI device: " + shorten(name));
      }
    }

    /** The PF's VFs by its {@code virtfnN} links: VF address to N. */
    Map<PciAddress, Integer> vfsOf(PciAddress pf) throws SkipException {
      Map<PciAddress, Integer> vfs = vfLists.get(pf);
      if (vfs != null) {
        return vfs;
      }
      vfs = new HashMap<>();
      try (DeviceDir dir = DeviceDir.open(readers, root.pciDevice(pf))) {
        if (dir == null) {
          throw new SkipException("PF " + pf + " is gone");
        }
        for (String n : dir.listing()) {
          if (!n.startsWith("virtfn")) {
            continue;
          }
          int index;
          try {
            index = Integer.parseInt(n.substring(6));
          } catch (NumberFormatException e) {
            continue;
          }
          Optional<Path> target = dir.link(n);
          if (target.isPresent()) {
            vfs.put(addressOfLink(n, target.get()), index);
          }
        }
      }
      vfLists.put(pf, vfs);
      return vfs;
    }

    /** The PF's netdev name and link type, read once per walk for all its VFs. */
    PfFacts pfFacts(PciAddress pf) throws SkipException {
      PfFacts f = pfFacts.get(pf);
      if (f != null) {
        return f;
      }
      Optional<InterfaceName> ifName = Optional.empty();
      LinkType type = null;
      try (DeviceDir dir = DeviceDir.open(readers, root.pciDevice(pf))) {
        Optional<String> name = dir == null ? Optional.empty() : NetdevReader.primaryName(dir);
        if (name.isPresent() && InterfaceName.isValid(name.get())) {
          ifName = Optional.of(InterfaceName.of(name.get()));
          Optional<String> t = dir.lenient("net/" + name.get() + "/type");
          if (t.isPresent()) {
            try {
              type = LinkType.fromArphrd(Integer.parseInt(t.get()));
            } catch (NumberFormatException e) {
              type = null;
            }
          }
        }
      }
      f = new PfFacts(ifName, Optional.ofNullable(type));
      pfFacts.put(pf, f);
      return f;
    }

    /**
     * The function as a network device. Netdevs and RDMA devices are registered by the kernel
     * driver bound to the function: one that is unbound or on a userspace driver (vfio-pci, UIO)
     * has neither, and its {@code net/} and {@code infiniband/} directories are not looked for (two
     * reads saved per VF given to DPDK).
     */
    PciNetDevice netDevice(PciAddress a, DeviceDir dir, PciFunction f, SriovRole role)
        throws SkipException {
      boolean kernelDriver = f.driver().map(d -> !d.isUserspaceDriver()).orElse(false);
      Optional<NetInterface> netdev = Optional.empty();
      Optional<String> name = kernelDriver ? NetdevReader.primaryName(dir) : Optional.empty();
      if (name.isPresent()) {
        netdev =
            NetdevReader.read(dir, name.get(), role instanceof SriovRole.VirtualFunction, netdevs);
      } else if (kernelDriver && f.vendor().equals(VIRTIO_VENDOR)) {
        netdev = virtioNetdev(dir);
      }
      LinkType linkType;
      if (netdev.isPresent()) {
        linkType = netdev.get().linkType();
      } else if (role instanceof SriovRole.VirtualFunction vf) {
        linkType = pfFacts(vf.pf()).linkType().orElse(defaultLinkType(f));
      } else {
        linkType = defaultLinkType(f);
      }
      RdmaInfo rdma = kernelDriver ? rdma(dir) : RdmaInfo.NONE;
      return new PciNetDevice(
          f, role, netdev, linkType, rdma, vdpa(a), Optional.empty(), pKey(dir, rdma));
    }

    /**
     * The default partition key (index 0 of port 1) of the function's first RDMA device, as
     * upstream reads it for the {@code pKeys} selector: {@code infiniband/<dev>/ports/1/pkeys/0},
     * which the kernel shows as {@code 0x7fff}. Empty without an RDMA device or when unreadable.
     */
    Optional<String> pKey(DeviceDir dir, RdmaInfo rdma) {
      if (rdma.devices().isEmpty()) {
        return Optional.empty();
      }
      return dir.lenient("infiniband/" + rdma.devices().get(0) + "/ports/1/pkeys/0");
    }

    LinkType defaultLinkType(PciFunction f) {
      return (f.classCode() >> 8) == CLASS_INFINIBAND ? LinkType.INFINIBAND : LinkType.ETHER;
    }

    /** virtio-net keeps its netdev one level down: {@code <pci>/virtioN/net/<if>}. */
    Optional<NetInterface> virtioNetdev(DeviceDir dir) throws SkipException {
      List<String> children = new ArrayList<>(dir.listing());
      children.sort(null);
      for (String c : children) {
        if (c.startsWith("virtio")) {
          try (DeviceDir v = dir.sub(c)) {
            Optional<String> name = v == null ? Optional.empty() : NetdevReader.primaryName(v);
            if (name.isPresent()) {
              return NetdevReader.read(v, name.get(), false, netdevs);
            }
          }
        }
      }
      return Optional.empty();
    }

    RdmaInfo rdma(DeviceDir dir) throws SkipException {
      List<String> ib = dir.list("infiniband");
      return ib.isEmpty() ? RdmaInfo.NONE : new RdmaInfo(ib);
    }

    Optional<VdpaDevice> vdpa(PciAddress a) {
      Map<PciAddress, VdpaDevice> map = vdpa;
      if (map == null) {
        map = readVdpa();
        vdpa = map;
      }
      return Optional.ofNullable(map.get(a));
    }

    /** {@code /sys/bus/vdpa/devices/<name>} links, keyed by their parent PCI function. */
    Map<PciAddress, VdpaDevice> readVdpa() {
      Map<PciAddress, VdpaDevice> out = new HashMap<>();
      Path bus = root.vdpaDevices();
      List<String> names;
      try {
        names = SysfsFiles.list(bus);
      } catch (IOException e) {
        skip(root.display(bus), "unreadable (" + e.getMessage() + ")");
        return out;
      }
      for (String n : names) {
        try {
          Optional<Path> target = SysfsFiles.readLink(bus.resolve(n));
          Path parent = target.map(Path::getParent).orElse(null);
          if (parent == null || !PciAddress.isValid(String.valueOf(parent.getFileName()))) {
            continue;
          }
          Optional<VdpaType> type =
              SysfsFiles.readLink(bus.resolve(n).resolve("driver"))
                  .flatMap(d -> VdpaType.fromDriver(String.valueOf(d.getFileName())));
          if (type.isEmpty()) {
            log.debug("vdpa device without a known driver ignored vdpa={}", n);
            continue;
          }
          Optional<String> vhost =
              SysfsFiles.list(bus.resolve(n)).stream()
                  .filter(c -> c.startsWith("vhost-vdpa-"))
                  .sorted()
                  .findFirst();
          out.put(
              PciAddress.parse(String.valueOf(parent.getFileName())),
              new VdpaDevice(n, type.get(), vhost));
        } catch (IOException | InvalidValueException e) {
          skip("vdpa " + shorten(n), "unreadable (" + e.getMessage() + ")");
        }
      }
      return out;
    }

    /**
     * Auxiliary devices whose parent is a discovered network function (restricted to {@code scope}
     * when given).
     */
    void auxDevices(Set<PciAddress> scope) {
      Path bus = root.auxDevices();
      List<String> names;
      try {
        names = SysfsFiles.list(bus);
      } catch (IOException e) {
        skip(root.display(bus), "unreadable (" + e.getMessage() + ")");
        return;
      }
      names.sort(null);
      for (String n : names) {
        Path dir = bus.resolve(n);
        try {
          Optional<Path> target = SysfsFiles.readLink(dir);
          Path parentPath = target.map(Path::getParent).orElse(null);
          if (parentPath == null) {
            skip(shorten(n), "auxiliary device entry is not a link");
            continue;
          }
          String parentName = String.valueOf(parentPath.getFileName());
          if (!PciAddress.isValid(parentName)) {
            continue; // nested under another aux device (mlx5_core.eth.N under an SF)
          }
          PciAddress parent = PciAddress.parse(parentName);
          if (scope != null && !scope.contains(parent)) {
            continue;
          }
          PciNetDevice p = netDevices.get(parent);
          if (p == null) {
            if (skippedNet.contains(parent)) {
              skip(shorten(n), "parent " + parent + " was skipped");
            }
            continue;
          }
          devices.add(auxDevice(n, dir, p));
        } catch (SkipException e) {
          skip(shorten(n), e.getMessage());
        } catch (IOException e) {
          skip(shorten(n), "unreadable (" + e.getMessage() + ")");
        }
      }
    }

    AuxNetDevice auxDevice(String n, Path path, PciNetDevice parent) throws SkipException {
      AuxDeviceName name;
      try {
        name = AuxDeviceName.parse(n);
      } catch (InvalidValueException e) {
        throw new SkipException(e.getMessage());
      }
      try (DeviceDir dir = DeviceDir.open(readers, path)) {
        if (dir == null) {
          throw new SkipException(
              "device directory missing (dangling link or removed during discovery)");
        }
        Optional<DriverName> driver = driver(dir);
        OptionalInt sfnum = dir.optionalDecimal("sfnum");
        Optional<InterfaceName> pfName =
            parent.isVf() ? parent.pfName() : parent.netdev().map(NetInterface::name);
        Optional<NetInterface> netdev;
        Optional<String> ifName = NetdevReader.primaryName(dir);
        if (ifName.isPresent()) {
          netdev = NetdevReader.read(dir, ifName.get(), false, netdevs);
        } else {
          netdev = nestedAuxNetdev(dir);
        }
        LinkType type = netdev.map(NetInterface::linkType).orElse(parent.linkType());
        return new AuxNetDevice(name, parent.pci(), driver, sfnum, pfName, netdev, type, rdma(dir));
      }
    }

    /** An SF's netdev hangs under its own aux child ({@code mlx5_core.sf.4/mlx5_core.eth.4}). */
    Optional<NetInterface> nestedAuxNetdev(DeviceDir dir) throws SkipException {
      List<String> children = new ArrayList<>(dir.listing());
      children.sort(null);
      for (String c : children) {
        if (c.indexOf('.') > 0 && c.contains(".eth.")) {
          try (DeviceDir eth = dir.sub(c)) {
            Optional<String> name = eth == null ? Optional.empty() : NetdevReader.primaryName(eth);
            if (name.isPresent()) {
              return NetdevReader.read(eth, name.get(), false, netdevs);
            }
          }
        }
      }
      return Optional.empty();
    }
  }

  private record PfFacts(Optional<InterfaceName> name, Optional<LinkType> linkType) {}
}
