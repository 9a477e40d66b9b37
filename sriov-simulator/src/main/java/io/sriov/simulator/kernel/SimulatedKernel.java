package io.sriov.simulator.kernel;

import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.os.Errno;
import io.sriov.simulator.netlink.SimulatedNetwork;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.SysfsException;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 *
 * <p>The parts: {@link SimulatedTree} (the files and links, where and what), {@link
 * SysfsWriteRouter} (which rule a written file runs), {@link SimulatedDriverCore} (the rules and
 * their effects), {@link SimulatedEvents} (what the monitors are told), {@link FaultInjector}.
 */
public final class SimulatedKernel implements SysfsWriter {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKernel.class);

  private final SysfsRoot root;
  private final Topology topology;
  private final SimulatedEvents events;
  private final SimulatedNetwork network;
  private final SimulatedDriverCore core;
  private final SysfsWriteRouter router;
  private final FaultInjector faults = new FaultInjector();

  /** Builds the tree for {@code topology} under {@code root} (which must be empty or absent). */
  public SimulatedKernel(SysfsRoot root, Topology topology) throws IOException {
    this.root = root;
    this.topology = topology;
    SimulatedTree tree = new SimulatedTree(root);
    this.events = new SimulatedEvents(root.sys());
    this.network =
        new SimulatedNetwork(List.of(), SimulatedNetwork.Kernel.LINUX_6_2_OR_LATER, this);
    this.core = new SimulatedDriverCore(tree, events, network);
    network.addListener(core::onLinkChange);
    this.router = new SysfsWriteRouter(root, core);
    synchronized (this) {
      core.plugIn(topology);
    }
    log.info(
        "SIMULATION: simulated node built topology={} pfs={} root={}",
        topology.name(),
        topology.pfs().size(),
        root.sys());
  }

  // ---------------------------------------------------------------- SysfsWriter

  @Override
  public void write(Path file, String value, Duration timeout) throws SysfsException {
    Path abs = file.toAbsolutePath().normalize();
    String operation = "write " + quote(value) + " to " + abs;
    Optional<Errno> injected;
    boolean stall;
    synchronized (this) {
      injected = faults.take(abs, value);
      stall = faults.stalls(abs);
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
    if (injected.isPresent()) {
      log.debug("SIMULATION: injected failure file={} errno={}", abs, injected.get());
      throw new SysfsException(operation, "", abs, injected.get(), null);
    }
    synchronized (this) {
      Errno e = router.write(abs, value);
      if (e != null) {
        throw new SysfsException(operation, "", abs, e, null);
      }
    }
  }

  private static String quote(String value) {
    return "\"" + value.replace("\n", "\\n").replace("\0", "\\0") + "\"";
  }

  // ---------------------------------------------------------------- test controls

  /**
   * A cable pull or link-partner change on the port of the host netdev {@code name}: its carrier
   * and oper state (and its VFs') change in rtnetlink, sysfs and the link monitors.
   */
  public synchronized void setCarrier(InterfaceName name, boolean up) {
    core.setCarrier(name, up);
  }

  /**
   * Unloads a driver as {@code modprobe -r} would: its devices become unbound and its {@code
   * drivers/<d>} directory disappears.
   */
  public synchronized void unloadDriver(DriverName driver) throws IOException {
    core.unloadDriver(driver);
    log.info("SIMULATION: driver unloaded driver={}", driver);
  }

  /** Removes a function (and a PF's VFs) as a surprise hot-unplug would. */
  public synchronized void removeDevice(PciAddress address) throws IOException {
    SimulatedFunction d =
        core.function(address)
            .orElseThrow(
                () -> new IllegalArgumentException("SIMULATION: no PCI device " + address));
    core.remove(d);
    log.info("SIMULATION: device removed pci={}", address);
  }

  /** The next write to {@code file} fails with {@code errno} and changes nothing. */
  public synchronized void injectFailure(Path file, Errno errno) {
    faults.fail(file.toAbsolutePath().normalize(), null, errno);
  }

  /** The next write of {@code value} to {@code file} fails with {@code errno}. */
  public synchronized void injectFailure(Path file, String value, Errno errno) {
    faults.fail(file.toAbsolutePath().normalize(), value, errno);
  }

  /** Writes to {@code file} hang until the caller's timeout (a stuck driver); null clears. */
  public synchronized void stallWrites(Path file) {
    faults.stall(file == null ? null : file.toAbsolutePath().normalize());
  }

  /**
   * While held, {@code sriov_numvfs} creates the VFs but not the PF's {@code virtfnN} links (as
   * when udev/the driver is slow); releasing creates the missing links.
   */
  public synchronized void holdVfLinks(boolean hold) throws IOException {
    core.holdVfLinks(hold);
  }

  /** A link monitor fed by this kernel's netdev and carrier changes (closing it detaches it). */
  public SimulatedLinkMonitor newLinkMonitor() {
    SimulatedLinkMonitor m = new SimulatedLinkMonitor(this);
    events.add(m);
    return m;
  }

  void detach(SimulatedLinkMonitor m) {
    events.remove(m);
  }

  /**
   * A device event monitor fed by this kernel's PCI uevents: VFs added and removed, drivers bound
   * and unbound (closing it detaches it).
   */
  public SimulatedDeviceEventMonitor newDeviceEventMonitor() {
    SimulatedDeviceEventMonitor m = new SimulatedDeviceEventMonitor(this);
    events.add(m);
    return m;
  }

  void detach(SimulatedDeviceEventMonitor m) {
    events.remove(m);
  }

  /** Current netdevs, as a link dump would list them. */
  synchronized List<LinkEvent> links() {
    return core.links();
  }

  /** The driver currently bound to {@code address}, as the simulated kernel knows it. */
  public synchronized Optional<DriverName> driverOf(PciAddress address) {
    return core.function(address).flatMap(d -> Optional.ofNullable(d.driver));
  }

  /**
   * The node's simulated rtnetlink, guarded by this kernel's lock: every netdev of a PCI function
   * is registered there, and the host namespace's changes are mirrored into sysfs.
   */
  public SimulatedNetwork network() {
    return network;
  }

  public SysfsRoot root() {
    return root;
  }

  public Topology topology() {
    return topology;
  }

  @Override
  public String toString() {
    return "SimulatedKernel[SIMULATION topology=" + topology.name() + " root=" + root.sys() + "]";
  }
}
