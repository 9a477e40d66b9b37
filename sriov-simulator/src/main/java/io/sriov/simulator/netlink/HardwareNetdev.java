package io.sriov.simulator.netlink;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A netdev a driver registers for a PCI function of the simulated node: a PF's, a VF's or a plain
 * NIC's. The simulated node hands one to {@link SimulatedNetwork} whenever its simulated sysfs
 * binds a network driver (the netdev appears in the host namespace) and takes it back on unbind.
 *
 * @param name the netdev name (the sysfs {@code net/<name>} entry)
 * @param device the PCI function ({@code IFLA_PARENT_DEV_NAME}, {@code device} link in sysfs)
 * @param driver the driver, which decides the max MTU and the VF refusals ({@link DriverProfile})
 * @param mac the MAC the driver reads from the function (also IFLA_PERM_ADDRESS)
 * @param mtu the MTU at registration
 * @param speedMbps the link speed (a VF max_tx_rate above it is EINVAL)
 * @param totalVfs {@code sriov_totalvfs} of a PF; 0 for VFs and NICs without SR-IOV
 * @param vfOf for a VF's netdev: its PF's PCI address and the VF index
 * @param type the ARPHRD_* hardware type (1 Ethernet, 32 InfiniBand): {@code ifi_type} in
 *     rtnetlink, {@code type} in sysfs
 */
public record HardwareNetdev(
    InterfaceName name,
    PciAddress device,
    String driver,
    MacAddress mac,
    int mtu,
    int speedMbps,
    int totalVfs,
    Optional<VfOf> vfOf,
    int type) {

  /** ARPHRD_ETHER. */
  public static final int ETHER = 1;

  /** ARPHRD_INFINIBAND. */
  public static final int INFINIBAND = 32;

  /** An Ethernet netdev ({@link #ETHER}). */
  public HardwareNetdev(
      InterfaceName name,
      PciAddress device,
      String driver,
      MacAddress mac,
      int mtu,
      int speedMbps,
      int totalVfs,
      Optional<VfOf> vfOf) {
    this(name, device, driver, mac, mtu, speedMbps, totalVfs, vfOf, ETHER);
  }

  /** This netdev with the hardware type {@code type} (ARPHRD_*). */
  public HardwareNetdev withType(int type) {
    return new HardwareNetdev(name, device, driver, mac, mtu, speedMbps, totalVfs, vfOf, type);
  }

  /** The PF a VF belongs to and its index there ({@code virtfnN}). */
  public record VfOf(PciAddress pf, int index) {
    public VfOf {
      Objects.requireNonNull(pf, "pf");
      if (index < 0) {
        throw new IllegalArgumentException("VF index must not be negative: " + index);
      }
    }
  }

  public HardwareNetdev {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(vfOf, "vfOf");
    int max = DriverProfile.of(driver).maxMtu();
    if (mtu < DriverProfile.MIN_MTU || mtu > max) {
      throw new IllegalArgumentException(
          "netdev " + name + ": MTU " + mtu + " outside " + driver + "'s 68-" + max);
    }
    if (speedMbps < 0) {
      throw new IllegalArgumentException("netdev " + name + ": negative speed " + speedMbps);
    }
    if (totalVfs < 0 || (totalVfs > 0 && vfOf.isPresent())) {
      throw new IllegalArgumentException(
          "netdev " + name + ": totalVfs " + totalVfs + " is for PFs only (0-2048)");
    }
  }

  /** A PF's netdev, with up to {@code totalVfs} VFs. */
  public static HardwareNetdev pf(
      InterfaceName name,
      PciAddress device,
      String driver,
      MacAddress mac,
      int mtu,
      int speedMbps,
      int totalVfs) {
    return new HardwareNetdev(
        name, device, driver, mac, mtu, speedMbps, totalVfs, Optional.empty());
  }

  /** VF {@code index} of the PF at {@code pf}. */
  public static HardwareNetdev vf(
      InterfaceName name,
      PciAddress device,
      String driver,
      MacAddress mac,
      int mtu,
      int speedMbps,
      PciAddress pf,
      int index) {
    return new HardwareNetdev(
        name, device, driver, mac, mtu, speedMbps, 0, Optional.of(new VfOf(pf, index)));
  }
}
