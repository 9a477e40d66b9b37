package io.sriov.sysfs.pci;

import static io.sriov.sysfs.pci.AttributeReader.decimal;
import static io.sriov.sysfs.pci.AttributeReader.shorten;

import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.OperState;
import io.sriov.core.port.NetdevSnapshot;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.MacAddress;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
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

  /** Vanished between listing and reading: the netdev left. */
  private static final class Gone extends Exception {
    Gone() {
      super(null, null, false, false);
    }
  }

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
      for (String n : names) {
        Optional<String> port = dev.lenient("net/" + n + "/phys_port_name");
        if (port.isPresent() && port.get().matches("p\\d+")) {
          return Optional.of(n);
        }
      }
    }
    return Optional.of(names.get(0));
  }

  /**
   * Reads the netdev {@code net/<name>} of the device; empty if it vanished meanwhile. The files
   * are opened relative to the device directory ({@code net/<name>/mtu}), without listing the
   * netdev's own directory: a missing file is told apart from a netdev that left only when it
   * happens.
   *
   * <p>{@code vf} leaves out three reads that say nothing about a VF, to keep the walk of hundreds
   * of VFs cheap: {@code phys_port_name} and {@code phys_switch_id} (VF netdevs have neither: the
   * kernel answers EOPNOTSUPP; representors, which have them, are not VFs) and {@code speed} (a VF
   * driver reports its PF's link speed, which the PF's own entry carries).
   *
   * <p>When {@code netdevs} (the walk's one read of the kernel's links; null without one) has the
   * netdev on this device, its {@code mtu}, {@code type}, {@code address}, {@code operstate} and
   * {@code carrier} come from there and are not opened: the same facts, as the kernel stated them
   * just before the walk listed {@code net/} (a VF's netdev then costs no file at all).
   */
  static Optional<NetInterface> read(DeviceDir dev, String name, boolean vf, NetdevSnapshot netdevs)
      throws SkipException {
    InterfaceName ifName;
    try {
      ifName = InterfaceName.of(name);
    } catch (InvalidValueException e) {
      throw new SkipException("net/" + shorten(name) + ": " + e.getMessage());
    }
    String prefix = "net/" + name + "/";
    Optional<NetInterface> known =
        netdevs == null
            ? Optional.empty()
            : netdevs.netdev(name, String.valueOf(dev.path.getFileName()));
    NetInterface base;
    if (known.isPresent()) {
      base = known.get();
    } else {
      try {
        base = fromFiles(dev, prefix, ifName);
      } catch (Gone e) {
        return Optional.empty(); // the netdev left (moved to a pod, driver unbound) meanwhile
      }
    }
    return Optional.of(vf ? base : withPortFacts(dev, prefix, base));
  }

  /**
   * The netdev's {@code mtu}, {@code type}, {@code address}, {@code operstate}, {@code carrier}.
   */
  private static NetInterface fromFiles(DeviceDir dev, String prefix, InterfaceName ifName)
      throws SkipException, Gone {
    int mtu = decimal(prefix + "mtu", required(dev, prefix, "mtu"));
    int type = decimal(prefix + "type", required(dev, prefix, "type"));
    Optional<MacAddress> mac = Optional.empty();
    String address = required(dev, prefix, "address");
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
        dev.lenient(prefix + "operstate").map(OperState::parse).orElse(OperState.UNKNOWN);
    // Only a state that does not tell needs the carrier file (OperState.carrier).
    boolean carrier = oper.carrier(() -> carrierFile(dev, prefix));
    return new NetInterface(
        ifName,
        List.of(),
        mac,
        mtu,
        LinkType.fromArphrd(type),
        oper,
        carrier,
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static boolean carrierFile(DeviceDir dev, String prefix) {
    return dev.lenient(prefix + "carrier").map("1"::equals).orElse(false);
  }

  /** {@code base} with the files a VF's entry leaves out: {@code speed} and the port's names. */
  private static NetInterface withPortFacts(DeviceDir dev, String prefix, NetInterface base)
      throws SkipException {
    OptionalInt speed = OptionalInt.empty();
    Optional<String> speedText =
        base.operState().noLink() ? Optional.empty() : dev.lenient(prefix + "speed");
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
    return new NetInterface(
        base.name(),
        base.altNames(),
        base.mac(),
        base.mtu(),
        base.linkType(),
        base.operState(),
        base.carrier(),
        speed,
        dev.lenient(prefix + "phys_port_name"),
        dev.lenient(prefix + "phys_switch_id"));
  }

  /**
   * A file every netdev has. Absent: if the netdev's directory is gone too the netdev left (Gone),
   * otherwise the device is skipped naming the file.
   */
  private static String required(DeviceDir dev, String prefix, String name)
      throws SkipException, Gone {
    try {
      return dev.read(prefix + name);
    } catch (NoSuchFileException e) {
      try (DeviceDir netdev = dev.sub(prefix.substring(0, prefix.length() - 1))) {
        if (netdev == null) {
          throw new Gone();
        }
      }
      throw new SkipException(prefix + name + ": missing");
    } catch (IOException e) {
      throw new SkipException(prefix + name + ": unreadable (" + e.getMessage() + ")");
    }
  }
}
