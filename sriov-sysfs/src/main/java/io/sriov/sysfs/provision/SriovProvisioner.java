package io.sriov.sysfs.provision;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.os.Errno;
import io.sriov.sysfs.SysfsException;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import io.sriov.sysfs.pci.SysfsLinks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the node's PCI state: the number of VFs of a PF and the driver bound to a function. Every
 * write is bounded by a timeout, every change is verified by reading sysfs back, and every call is
 * idempotent (asking for the current state writes nothing). Failures are {@link SysfsException}s
 * naming the device, the operation and the errno, e.g. {@code write sriov_numvfs=8 for
 * 0000:af:00.1: EBUSY (Device or resource busy)}.
 *
 * <p>Stateless and safe to share; the caller serialises changes to one device (the kernel does not
 * make {@code unbind; driver_override; bind} atomic). Each step re-reads the device, so one that
 * vanished or changed driver meanwhile gives ENODEV or a verification error, never a write aimed at
 * a different device.
 */
public final class SriovProvisioner {
  private static final Logger log = LoggerFactory.getLogger(SriovProvisioner.class);

  private final SysfsRoot root;
  private final SysfsWriter writer;
  private final ProvisionTimeouts timeouts;

  /** The discovery's descriptor-relative link reader, for the wait for new VFs. */
  private final SysfsLinks links = new SysfsLinks();

  public SriovProvisioner(SysfsRoot root, SysfsWriter writer, ProvisionTimeouts timeouts) {
    this.root = Objects.requireNonNull(root, "root");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
  }

  // ------------------------------------------------------------------ VFs

  /**
   * Sets the PF's VF count to {@code n} ({@code echo 0 > sriov_numvfs; echo n > sriov_numvfs}):
   * nothing is written when it already has {@code n}; otherwise 0 then {@code n}, then waits until
   * {@code virtfn0..n-1} exist with {@code physfn} links back to the PF.
   */
  public NumVfsChange setNumVfs(PciAddress pf, int n) throws SysfsException {
    if (n < 0) {
      throw new IllegalArgumentException("number of VFs must be >= 0: " + n);
    }
    String op = "write sriov_numvfs=" + n;
    String subject = pf.toString();
    Path numvfsFile = root.pciAttribute(pf, "sriov_numvfs");
    requireDevice(pf, op, numvfsFile);
    Path totalFile = root.pciAttribute(pf, "sriov_totalvfs");
    Optional<String> totalText = readAttr(totalFile, op, subject);
    if (totalText.isEmpty()) {
      throw new SysfsException(
          op, subject, totalFile, Errno.ENOENT, "not SR-IOV capable (no sriov_totalvfs)");
    }
    int total = parseInt(totalText.get(), totalFile, op, subject);
    if (n > total) {
      throw new SysfsException(
          op,
          subject,
          numvfsFile,
          Errno.ERANGE,
          "requested " + n + " VFs but sriov_totalvfs is " + total);
    }
    int before =
        parseInt(
            readAttr(numvfsFile, op, subject)
                .orElseThrow(
                    () ->
                        new SysfsException(
                            op, subject, numvfsFile, Errno.ENOENT, "sriov_numvfs missing")),
            numvfsFile,
            op,
            subject);
    if (before == n) {
      List<PciAddress> vfs = awaitVfs(pf, n);
      log.debug("VF count already as requested pf={} numvfs={}", pf, n);
      return new NumVfsChange(pf, before, n, vfs);
    }
    if (before != 0) {
      write(numvfsFile, "0", "write sriov_numvfs=0", subject, null);
    }
    if (n > 0) {
      write(
          numvfsFile,
          Integer.toString(n),
          op,
          subject,
          before != 0 ? "the PF now has 0 VFs" : null);
    }
    List<PciAddress> vfs = awaitVfs(pf, n);
    log.info("VF count changed pf={} numvfs={} previous={}", pf, n, before);
    return new NumVfsChange(pf, before, n, vfs);
  }

  /** Waits until the PF has exactly {@code n} ready VFs; returns their addresses by index. */
  private List<PciAddress> awaitVfs(PciAddress pf, int n) throws SysfsException {
    PciAddress[] vfs = new PciAddress[n];
    int[] ready = new int[1];
    boolean ok =
        await(
            timeouts.vfsAppear(),
            () -> {
              ready[0] = readyVfs(pf, vfs);
              return ready[0] == n && !Files.exists(root.pciAttribute(pf, "virtfn" + n));
            });
    if (!ok) {
      throw new SysfsException(
          "wait for " + n + " VFs",
          pf.toString(),
          root.pciAttribute(pf, "sriov_numvfs"),
          Errno.ETIMEDOUT,
          ready[0]
              + " of "
              + n
              + " VFs have virtfn and physfn links after "
              + timeouts.vfsAppear().toMillis()
              + " ms");
    }
    return List.of(vfs);
  }

  /**
   * How many of the PF's VFs {@code 0..vfs.length-1} are ready (a {@code virtfnN} link whose
   * target's {@code physfn} links back to the PF); each ready one's address is put in {@code vfs}.
   */
  private int readyVfs(PciAddress pf, PciAddress[] vfs) {
    int ready = 0;
    String pfName = pf.toString();
    // The PF's directory is opened once per poll and both links of each VF are read relative to
    // it: virtfnN, then virtfnN/physfn (the same VF directory /sys/bus/pci/devices/<vf> leads to).
    try (SysfsLinks.Dir pfDir = links.open(root.pciDevice(pf))) {
      if (pfDir == null) {
        return 0;
      }
      for (int i = 0; i < vfs.length; i++) {
        try {
          String virtfn = "virtfn" + i;
          Optional<Path> vf = pfDir.link(virtfn);
          if (vf.isEmpty()) {
            continue;
          }
          PciAddress vfAddress = PciAddress.parse(String.valueOf(vf.get().getFileName()));
          Optional<Path> back = pfDir.link(virtfn + "/physfn");
          if (back.isPresent() && String.valueOf(back.get().getFileName()).equals(pfName)) {
            vfs[i] = vfAddress;
            ready++;
          }
        } catch (IOException | InvalidValueException e) {
          // not ready (yet)
        }
      }
    } catch (IOException e) {
      return ready; // the PF's directory unreadable: not ready (yet)
    }
    return ready;
  }

  // ------------------------------------------------------------------ drivers

  /**
   * Binds the function to {@code driver} the way the kernel allows any driver to claim it: unbind
   * the current driver, {@code driver_override=<driver>}, write the address to {@code
   * drivers/<driver>/bind}, clear the override. Verified by reading the {@code driver} link.
   *
   * @return the driver bound before (empty when none)
   */
  public Optional<DriverName> bindDriver(PciAddress a, DriverName driver) throws SysfsException {
    String op = "bind " + driver;
    try (SysfsLinks.Dir device = openDevice(a, op)) {
      return bindDriver(a, driver, device, op);
    }
  }

  private Optional<DriverName> bindDriver(
      PciAddress a, DriverName driver, SysfsLinks.Dir device, String op) throws SysfsException {
    String subject = a.toString();
    Path bindFile = root.pciDriverBind(driver);
    Optional<DriverName> before = driverIn(device, a, op);
    if (!Files.isDirectory(root.pciDriver(driver))) {
      throw new SysfsException(
          op,
          subject,
          root.pciDriver(driver),
          Errno.ENOENT,
          "driver " + driver + " is not loaded (no " + root.display(root.pciDriver(driver)) + ")");
    }
    if (before.isPresent() && before.get().equals(driver)) {
      return before;
    }
    if (before.isPresent()) {
      unbindFrom(a, device, before.get(), op);
    }
    Path override = root.pciAttribute(a, "driver_override");
    write(override, driver.value(), op, subject, null);
    try {
      write(bindFile, a.toString(), op, subject, null);
    } catch (SysfsException e) {
      String restored = restore(a, before);
      throw new SysfsException(op, subject, e.file(), e.errno(), restored, e);
    }
    write(override, "\n", op, subject, "bound, but clearing driver_override failed");
    awaitDriver(a, device, Optional.of(driver), op);
    // DEBUG: the caller reports its binds (the engine applies hundreds per pass, one report).
    log.debug("driver bound pci={} driver={} previous={}", a, driver, before.orElse(null));
    return before;
  }

  /**
   * Returns the function to the driver the kernel picks for it ({@code driver_override} cleared,
   * address written to {@code drivers_probe}). A function on a userspace driver (vfio-pci, igb_uio,
   * uio_pci_generic) is unbound first; one already on a kernel driver stays there.
   *
   * @return the driver now bound
   */
  public DriverName bindDefaultDriver(PciAddress a) throws SysfsException {
    return toDefaultDriver(a).now();
  }

  /**
   * {@link #bindDefaultDriver}, answering the driver before as well (the one its check read), so
   * that a caller recording how to undo the bind does not read the {@code driver} link once more.
   */
  public DriverChange toDefaultDriver(PciAddress a) throws SysfsException {
    String op = "bind default driver";
    try (SysfsLinks.Dir device = openDevice(a, op)) {
      return toDefaultDriver(a, device, op);
    }
  }

  private DriverChange toDefaultDriver(PciAddress a, SysfsLinks.Dir device, String op)
      throws SysfsException {
    String subject = a.toString();
    Optional<DriverName> before = driverIn(device, a, op);
    Path override = root.pciAttribute(a, "driver_override");
    if (before.isPresent() && !before.get().isUserspaceDriver()) {
      write(override, "\n", op, subject, null);
      return new DriverChange(before, before.get());
    }
    if (before.isPresent()) {
      unbindFrom(a, device, before.get(), op);
    }
    write(override, "\n", op, subject, null);
    write(root.pciDriversProbe(), a.toString(), op, subject, null);
    boolean bound = await(timeouts.driverSettle(), () -> driverQuietly(device, a).isPresent());
    Optional<DriverName> now = driverQuietly(device, a);
    if (!bound || now.isEmpty()) {
      throw new SysfsException(
          op,
          subject,
          root.pciAttribute(a, "driver"),
          Errno.ENODEV,
          "no driver claimed the device after drivers_probe"
              + (before.isPresent() ? " (it was on " + before.get() + ")" : ""));
    }
    log.debug(
        "default driver bound pci={} driver={} previous={}", a, now.get(), before.orElse(null));
    return new DriverChange(before, now.get());
  }

  /**
   * Unbinds the function from its driver ({@code echo <a> > drivers/<d>/unbind}); nothing when
   * unbound.
   *
   * @return the driver bound before
   */
  public Optional<DriverName> unbind(PciAddress a) throws SysfsException {
    String op = "unbind";
    try (SysfsLinks.Dir device = openDevice(a, op)) {
      Optional<DriverName> before = driverIn(device, a, op);
      if (before.isPresent()) {
        unbindFrom(a, device, before.get(), op);
        log.info("driver unbound pci={} driver={}", a, before.get());
      }
      return before;
    }
  }

  private void unbindFrom(PciAddress a, SysfsLinks.Dir device, DriverName current, String op)
      throws SysfsException {
    try {
      write(root.pciDriverUnbind(current), a.toString(), op, a.toString(), "unbinding " + current);
    } catch (SysfsException e) {
      // ENODEV: the device left that driver meanwhile; fine if it is now unbound.
      if (e.errno() != Errno.ENODEV || driverQuietly(device, a).isPresent()) {
        throw e;
      }
    }
    awaitDriver(a, device, Optional.empty(), op);
  }

  private String restore(PciAddress a, Optional<DriverName> before) {
    try {
      Path override = root.pciAttribute(a, "driver_override");
      if (before.isEmpty()) {
        writer.write(override, "\n", timeouts.write());
        return "device left unbound";
      }
      writer.write(override, before.get().value(), timeouts.write());
      try {
        writer.write(root.pciDriverBind(before.get()), a.toString(), timeouts.write());
      } finally {
        writer.write(override, "\n", timeouts.write());
      }
      return "device returned to " + before.get();
    } catch (SysfsException e) {
      log.warn(
          "restoring driver failed pci={} driver={} errno={}", a, before.orElse(null), e.errno());
      return "returning it to "
          + before.map(DriverName::value).orElse("no driver")
          + " failed: "
          + e.errno().name();
    }
  }

  private void awaitDriver(
      PciAddress a, SysfsLinks.Dir device, Optional<DriverName> expected, String op)
      throws SysfsException {
    boolean ok = await(timeouts.driverSettle(), () -> driverQuietly(device, a).equals(expected));
    if (!ok) {
      Optional<DriverName> now = driverQuietly(device, a);
      requireDevice(a, op, root.pciAttribute(a, "driver"));
      throw new SysfsException(
          op,
          a.toString(),
          root.pciAttribute(a, "driver"),
          Errno.EIO,
          "driver link shows "
              + now.map(DriverName::value).orElse("no driver")
              + ", expected "
              + expected.map(DriverName::value).orElse("no driver")
              + " after "
              + timeouts.driverSettle().toMillis()
              + " ms");
    }
  }

  /** The driver bound now, by the {@code driver} link. */
  public Optional<DriverName> currentDriver(PciAddress a) throws SysfsException {
    Path link = root.pciAttribute(a, "driver");
    return driver(() -> SysfsFiles.readLink(link), a, "read driver");
  }

  /** How a {@code driver} link is read: by its path, or relative to the open device directory. */
  private interface DriverLink {
    Optional<Path> read() throws IOException;
  }

  /**
   * The driver a {@code driver} link names (its last component), empty when there is no link; a
   * failed read or a name that is not a driver's is the {@code op}'s error on that link.
   */
  private Optional<DriverName> driver(DriverLink link, PciAddress a, String op)
      throws SysfsException {
    try {
      Optional<Path> target = link.read();
      if (target.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(DriverName.of(String.valueOf(target.get().getFileName())));
    } catch (IOException e) {
      throw new SysfsException(
          op,
          a.toString(),
          root.pciAttribute(a, "driver"),
          Errno.of(e),
          "reading the driver link",
          e);
    } catch (InvalidValueException e) {
      throw new SysfsException(
          op, a.toString(), root.pciAttribute(a, "driver"), Errno.EINVAL, e.getMessage());
    }
  }

  /**
   * The check before a driver change: the function's directory, open (ENODEV when there is no such
   * device), so that its {@code driver} link is read relative to it ({@code readlinkat}) before,
   * during and after the change: one walk of {@code /sys/bus/pci/devices/<a>} and its link per
   * change instead of one per read. A device directory stays the same directory while drivers bind
   * and unbind (the kernel removes it only with the device; a removed device's links read as
   * absent, as they do by path).
   */
  private SysfsLinks.Dir openDevice(PciAddress a, String op) throws SysfsException {
    Path dir = root.pciDevice(a);
    SysfsLinks.Dir device;
    try {
      device = links.open(dir);
    } catch (IOException e) {
      throw new SysfsException(
          op, a.toString(), dir, Errno.of(e), "opening " + root.display(dir), e);
    }
    if (device == null) {
      throw new SysfsException(
          op, a.toString(), root.pciAttribute(a, "driver"), Errno.ENODEV, "no such PCI device");
    }
    return device;
  }

  /** The driver bound now, by the {@code driver} link of the open device directory. */
  private Optional<DriverName> driverIn(SysfsLinks.Dir device, PciAddress a, String op)
      throws SysfsException {
    return driver(() -> device.link("driver"), a, op);
  }

  private Optional<DriverName> driverQuietly(SysfsLinks.Dir device, PciAddress a) {
    try {
      return driverIn(device, a, "read driver");
    } catch (SysfsException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ helpers

  private void requireDevice(PciAddress a, String op, Path file) throws SysfsException {
    if (!Files.isDirectory(root.pciDevice(a))) {
      throw new SysfsException(op, a.toString(), file, Errno.ENODEV, "no such PCI device");
    }
  }

  private void write(Path file, String value, String op, String subject, String detail)
      throws SysfsException {
    try {
      writer.write(file, value, timeouts.write());
    } catch (SysfsException e) {
      throw e.reframe(op, subject, detail);
    }
  }

  private Optional<String> readAttr(Path file, String op, String subject) throws SysfsException {
    try {
      return SysfsFiles.read(file);
    } catch (IOException e) {
      throw new SysfsException(op, subject, file, Errno.of(e), "reading " + root.display(file), e);
    }
  }

  private int parseInt(String text, Path file, String op, String subject) throws SysfsException {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new SysfsException(
          op, subject, file, Errno.EINVAL, root.display(file) + " holds \"" + text + "\"");
    }
  }

  /** Polls {@code done} until true or {@code bound} has passed (checks at least once). */
  private boolean await(java.time.Duration bound, BooleanSupplier done) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      if (done.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(timeouts.poll());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return done.getAsBoolean();
      }
    }
  }

  @Override
  public String toString() {
    return "SriovProvisioner[" + root + ", " + writer + "]";
  }
}
