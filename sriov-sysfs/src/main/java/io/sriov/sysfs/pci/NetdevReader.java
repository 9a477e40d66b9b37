package io.sriov.sysfs.pci;

import static io.sriov.sysfs.pci.AttributeReader.decimal;
import static io.sriov.sysfs.pci.AttributeReader.shorten;

import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the netdevs under a device's {@code net/} directory ({@code /sys/class/net/<if>} seen from
 * the device side). A netdev that disappears while being read (moved into a pod's namespace, driver
 * rebinding) counts as absent; one whose files are malformed skips the device.
 */
final class NetdevReader {
  private NetdevReader() {}

  /**
   * The device's own netdev among the entries of {@code net/}: the only one, or, when a switchdev
   * PF also lists representors, the uplink (its {@code phys_port_name} is {@code p<N>}), or else
   * the first by name.
   */
  static Optional<String> primaryName(DeviceDir dev) throws SkipException {
    List<String> names = dev.list("net");
    if (names.isEmpty()) {
      return Optional.empty();
    }
    if (names.size() > 1) {
      Path net = dev.path.resolve("net");
      for (String n : names) {
        Optional<String> port = lenient(dev.reader, net.resolve(n).resolve("phys_port_name"));
        if (port.isPresent() && port.get().matches("p\\d+")) {
          return Optional.of(n);
        }
      }
    }
    return Optional.of(names.get(0));
  }

  /**
   * An attribute the kernel may refuse to show (carrier and speed of a down link give EINVAL,
   * phys_port_name gives EOPNOTSUPP): empty on any error.
   */
  static Optional<String> lenient(SysfsReader r, Path file) {
    try {
      String s = r.read(file);
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> lenientIfExists(SysfsReader r, Path file) {
    return Files.exists(file) ? lenient(r, file) : Optional.empty();
  }

  /** Reads one netdev; empty if it vanished meanwhile. */
  static Optional<NetInterface> read(SysfsReader r, Path netDir, String name) throws SkipException {
    InterfaceName ifName;
    try {
      ifName = InterfaceName.of(name);
    } catch (InvalidValueException e) {
      throw new SkipException("net/" + shorten(name) + ": " + e.getMessage());
    }
    Path dir = netDir.resolve(name);
    String prefix = "net/" + name + "/";
    try {
      int mtu = decimal(prefix + "mtu", r.read(dir.resolve("mtu")));
      int type = decimal(prefix + "type", r.read(dir.resolve("type")));
      Optional<MacAddress> mac = Optional.empty();
      String address = r.read(dir.resolve("address"));
      if (address.length() == 17) {
        try {
          mac = Optional.of(MacAddress.parse(address));
        } catch (InvalidValueException e) {
          throw new SkipException(prefix + "address: " + e.getMessage());
        }
      } else if (!address.isEmpty() && address.length() != 59) {
        // 59 characters = a 20-byte InfiniBand hardware address; anything else is malformed.
        throw new SkipException(prefix + "address: \"" + shorten(address) + "\" is malformed");
      }
      OperState oper =
          lenient(r, dir.resolve("operstate")).map(OperState::parse).orElse(OperState.UNKNOWN);
      // operstate UP implies carrier (IF_OPER_UP needs it); DOWN, LOWERLAYERDOWN and NOTPRESENT
      // mean none, and the kernel then refuses to show carrier and speed (EINVAL): only the
      // other states need the files.
      boolean carrier;
      boolean noLink =
          oper == OperState.DOWN
              || oper == OperState.LOWERLAYERDOWN
              || oper == OperState.NOTPRESENT;
      if (oper == OperState.UP) {
        carrier = true;
      } else if (noLink) {
        carrier = false;
      } else {
        carrier = lenient(r, dir.resolve("carrier")).map("1"::equals).orElse(false);
      }
      OptionalInt speed = OptionalInt.empty();
      Optional<String> speedText = noLink ? Optional.empty() : lenient(r, dir.resolve("speed"));
      if (speedText.isPresent()) {
        try {
          long v = Long.parseLong(speedText.get());
          if (v > 0 && v < Integer.MAX_VALUE) {
            speed = OptionalInt.of((int) v);
          }
        } catch (NumberFormatException e) {
          throw new SkipException(
              prefix + "speed: \"" + shorten(speedText.get()) + "\" is not a number");
        }
      }
      return Optional.of(
          new NetInterface(
              ifName,
              List.of(),
              mac,
              mtu,
              LinkType.fromArphrd(type),
              oper,
              carrier,
              speed,
              lenientIfExists(r, dir.resolve("phys_port_name")),
              lenientIfExists(r, dir.resolve("phys_switch_id"))));
    } catch (NoSuchFileException e) {
      if (Files.isDirectory(dir)) {
        throw new SkipException(prefix + Path.of(e.getFile()).getFileName() + ": missing");
      }
      return Optional.empty(); // the netdev left (moved to a pod, driver unbound) meanwhile
    } catch (IOException e) {
      throw new SkipException("net/" + name + ": unreadable (" + e.getMessage() + ")");
    }
  }
}
