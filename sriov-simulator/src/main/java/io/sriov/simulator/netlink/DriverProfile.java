package io.sriov.simulator.netlink;

import java.util.Locale;
import java.util.Objects;

/**
 * What a simulated NIC driver accepts, where drivers differ: its maximum MTU and which VF
 * attributes ({@code ip link set <pf> vf N ...}) its {@code ndo_set_vf_*} callbacks refuse. The
 * refusals are the drivers' own: igb ({@code igb_ndo_set_vf_bw}, no {@code ndo_set_vf_link_state},
 * {@code igb_ndo_set_vf_vlan}) as the e2e Netlink scenario records them on the emulated 82576.
 *
 * @param driver the PCI driver name ({@code ice}, {@code igb}, {@code mlx5_core}...)
 * @param maxMtu the netdev's {@code max_mtu} (RTM_SETLINK above it: EINVAL)
 * @param minTxRate whether a non-zero {@code min_tx_rate} is accepted (igb: EINVAL)
 * @param linkState whether {@code state auto|enable|disable} is supported (igb: EOPNOTSUPP)
 * @param rateNeedsCarrier whether a rate is refused while the PF has no link (igb: EINVAL)
 * @param qinq whether VLAN protocol 802.1ad is accepted (igb: EPROTONOSUPPORT)
 */
public record DriverProfile(
    String driver,
    int maxMtu,
    boolean minTxRate,
    boolean linkState,
    boolean rateNeedsCarrier,
    boolean qinq) {

  /** ETH_MIN_MTU: every Ethernet driver's {@code min_mtu}. */
  public static final int MIN_MTU = 68;

  public DriverProfile {
    Objects.requireNonNull(driver, "driver");
    if (maxMtu < MIN_MTU) {
      throw new IllegalArgumentException("max MTU " + maxMtu + " below " + MIN_MTU);
    }
  }

  /**
   * The profile of a known driver: {@code igb}/{@code igbvf} (max MTU 9216, the refusals above),
   * {@code ice}/{@code iavf} and {@code i40e} (9702), {@code mlx5_core} (9978); any other driver
   * accepts every VF attribute with a max MTU of 9702 (the simulated sysfs's MTU bound).
   */
  public static DriverProfile of(String driver) {
    return switch (driver.toLowerCase(Locale.ROOT)) {
      case "igb", "igbvf" -> new DriverProfile(driver, 9216, false, false, true, false);
      case "mlx5_core" -> new DriverProfile(driver, 9978, true, true, false, true);
      case "ice", "iavf", "i40e" -> new DriverProfile(driver, 9702, true, true, false, true);
      default -> new DriverProfile(driver, 9702, true, true, false, true);
    };
  }
}
