package io.sriov.simulator.netlink;

import io.sriov.core.value.MacAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfStats;
import io.sriov.netlink.route.VfVlan;
import io.sriov.netlink.route.VlanProtocol;
import io.sriov.os.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PF's VF table as its driver keeps it (what {@code ip link show <pf>} lists as {@code vf N}),
 * and the driver's answers to {@code ip link set <pf> vf N ...}.
 */
final class SimVfTable {
  static final MacAddress ZERO_MAC = MacAddress.parse("00:00:00:00:00:00");
  static final VfStats NO_TRAFFIC = new VfStats(0, 0, 0, 0, 0, 0, 0, 0);

  /** One VF's administrative settings, as the driver resets them when VFs are created. */
  static final class Vf {
    MacAddress mac = ZERO_MAC;
    VfVlan vlan = VfVlan.of(0, 0);
    int minTxRate;
    int maxTxRate;
    boolean spoofCheck = true;
    boolean trust;
    VfLinkState linkState = VfLinkState.AUTO;
    VfStats stats = NO_TRAFFIC;
  }

  private final DriverProfile driver;
  private final int totalVfs;
  private final List<Vf> vfs = new ArrayList<>();

  SimVfTable(DriverProfile driver, int totalVfs) {
    this.driver = driver;
    this.totalVfs = totalVfs;
  }

  int count() {
    return vfs.size();
  }

  int totalVfs() {
    return totalVfs;
  }

  Vf vf(int index) {
    return vfs.get(index);
  }

  /** {@code sriov_numvfs}: the VFs are (re)created with the driver's defaults. */
  void resize(int numVfs) {
    if (numVfs < 0 || numVfs > totalVfs) {
      throw new IllegalArgumentException("SIMULATION: numVfs " + numVfs + " outside 0-" + totalVfs);
    }
    vfs.clear();
    for (int i = 0; i < numVfs; i++) {
      vfs.add(new Vf());
    }
  }

  List<VfInfo> infos(boolean withStats) {
    List<VfInfo> out = new ArrayList<>(vfs.size());
    for (int i = 0; i < vfs.size(); i++) {
      Vf v = vfs.get(i);
      out.add(
          new VfInfo(
              VfIndex.of(i),
              v.mac,
              List.of(v.vlan),
              v.minTxRate,
              v.maxTxRate,
              Optional.of(v.spoofCheck),
              Optional.of(v.trust),
              v.linkState,
              withStats ? Optional.of(v.stats) : Optional.empty()));
    }
    return out;
  }

  /**
   * Applies {@code c} in the kernel's order (do_setvfinfo: mac, vlan, rate, spoofchk, state,
   * trust), stopping at the first attribute the driver refuses; those before it stay applied, as on
   * the kernel.
   *
   * @param pfCarrier whether the PF has link (igb refuses rates without)
   * @param speedMbps the PF's link speed (a max_tx_rate above it is refused)
   */
  void apply(String op, VfConfig c, boolean pfCarrier, int speedMbps) throws ErrnoException {
    int i = c.vf().value();
    if (c.mac().isPresent()) {
      MacAddress m = c.mac().get();
      Vf v = vf(op, i);
      if (m.isMulticast()) {
        throw new ErrnoException(op, Errno.EINVAL);
      }
      v.mac = m;
    }
    if (c.vlan().isPresent()) {
      VfVlan vlan = c.vlan().get();
      Vf v = vf(op, i);
      if (vlan.proto() != VlanProtocol.IEEE_802_1Q && !driver.qinq()) {
        throw new ErrnoException(op, Errno.EPROTONOSUPPORT);
      }
      v.vlan = vlan;
    }
    if (c.rate().isPresent()) {
      VfConfig.TxRate r = c.rate().get();
      if (r.minMbps() != 0 && !driver.minTxRate()) {
        throw new ErrnoException(op, Errno.EINVAL);
      }
      Vf v = vf(op, i);
      if ((driver.rateNeedsCarrier() && !pfCarrier) || r.maxMbps() > speedMbps) {
        throw new ErrnoException(op, Errno.EINVAL);
      }
      v.minTxRate = r.minMbps();
      v.maxTxRate = r.maxMbps();
    }
    if (c.spoofCheck().isPresent()) {
      vf(op, i).spoofCheck = c.spoofCheck().get();
    }
    if (c.linkState().isPresent()) {
      if (!driver.linkState()) {
        throw new ErrnoException(op, Errno.EOPNOTSUPP);
      }
      vf(op, i).linkState = c.linkState().get();
    }
    if (c.trust().isPresent()) {
      vf(op, i).trust = c.trust().get();
    }
  }

  /** The driver's range check: a VF index at or above {@code sriov_numvfs} is EINVAL. */
  private Vf vf(String op, int index) throws ErrnoException {
    if (index >= vfs.size()) {
      throw new ErrnoException(op, Errno.EINVAL);
    }
    return vfs.get(index);
  }
}
