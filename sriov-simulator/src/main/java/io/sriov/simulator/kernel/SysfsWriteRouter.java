package io.sriov.simulator.kernel;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.os.Errno;
import io.sriov.sysfs.SysfsRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Routes a SIMULATED sysfs write to what the kernel would run for that file: a device's {@code
 * sriov_numvfs}, {@code driver_override} or {@code remove}, a driver's {@code bind} / {@code
 * unbind}, {@code drivers_probe}, a netdev's {@code mtu}; any other existing regular file just
 * takes the value. Returns null when the write is accepted, or the errno. Guarded by the kernel's
 * lock.
 */
final class SysfsWriteRouter {
  private final SysfsRoot root;
  private final SimulatedDriverCore core;

  SysfsWriteRouter(SysfsRoot root, SimulatedDriverCore core) {
    this.root = root;
    this.core = core;
  }

  /**
   * @param file absolute and normalized
   * @param raw the bytes written (a trailing newline is not part of the value)
   */
  Errno write(Path file, String raw) {
    if (!file.startsWith(root.sys())) {
      return Errno.ENOENT;
    }
    String value = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
    Path rel = root.sys().relativize(file);
    try {
      if (rel.getNameCount() == 5 && rel.startsWith("bus/pci/devices")) {
        SimulatedFunction d =
            core.function(PciAddress.parse(rel.getName(3).toString())).orElse(null);
        if (d == null) {
          return Errno.ENOENT;
        }
        return switch (rel.getName(4).toString()) {
          case "sriov_numvfs" -> d.isPf() ? core.storeNumVfs(d, value) : Errno.ENOENT;
          case "driver_override" -> core.storeOverride(d, value);
          case "remove" -> {
            core.remove(d);
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
        SimulatedFunction d = addressed(value);
        return switch (rel.getName(4).toString()) {
          case "bind" -> core.storeBind(d, drv);
          case "unbind" -> core.storeUnbind(d, drv);
          default -> plainAttribute(file, raw);
        };
      }
      if (rel.equals(root.sys().relativize(root.pciDriversProbe()))) {
        return core.storeProbe(addressed(value));
      }
      if (rel.getNameCount() == 4 && rel.startsWith("class/net")) {
        SimulatedFunction d = core.netdev(rel.getName(2).toString()).orElse(null);
        if (d != null && rel.getName(3).toString().equals("mtu")) {
          return core.storeMtu(d, value);
        }
      }
      return plainAttribute(file, raw);
    } catch (IOException e) {
      throw new UncheckedIOException("simulated sysfs tree broken", e);
    } catch (InvalidValueException e) {
      return Errno.EINVAL;
    }
  }

  /** The function a {@code bind}/{@code unbind}/{@code drivers_probe} value names, if any. */
  private SimulatedFunction addressed(String value) {
    return PciAddress.isValid(value) ? core.function(PciAddress.parse(value)).orElse(null) : null;
  }

  private static Errno plainAttribute(Path file, String raw) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Errno.ENOENT;
    }
    SimulatedTree.writeFile(file, raw);
    return null;
  }
}
