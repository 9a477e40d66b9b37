package io.sriov.daemon.plan;

import io.sriov.core.value.DriverName;
import io.sriov.daemon.desired.VfDeviceType;
import io.sriov.netlink.devlink.EswitchMode;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One change the plan makes to a PF, with why. The applier executes a step idempotently (it
 * re-reads the device first) and records how to undo what it actually changed.
 */
public sealed interface Step {

  /** What changes, e.g. {@code numVfs 4 -> 8}. */
  String describe();

  /** Why, in terms of the spec and what was observed. */
  String reason();

  /** {@code echo 0 > sriov_numvfs; echo N > sriov_numvfs}. */
  record SetNumVfs(int from, int to, String reason) implements Step {
    @Override
    public String describe() {
      return "numVfs " + from + " -> " + to;
    }
  }

  /** {@code devlink dev eswitch set pci/<pf> mode M}, done while the PF has no VFs. */
  record SetEswitchMode(Optional<EswitchMode> from, EswitchMode to, String reason) implements Step {
    @Override
    public String describe() {
      return "eSwitchMode "
          + from.map(EswitchMode::configName).orElse("none")
          + " -> "
          + to.configName();
    }
  }

  /** {@code ip link set <pf> mtu N}. */
  record SetPfMtu(int from, int to, String reason) implements Step {
    @Override
    public String describe() {
      return "PF mtu " + from + " -> " + to;
    }
  }

  /** {@code ip link set <pf> up}. */
  record SetPfUp(String reason) implements Step {
    @Override
    public String describe() {
      return "PF link down -> up";
    }
  }

  /**
   * Binds VF {@code vf} to the driver its group wants: the kernel default ({@code drivers_probe})
   * for netdevice, {@code vfio-pci} through {@code driver_override}.
   *
   * @param from the driver now; empty when unbound or when the VF is created by this plan
   */
  record BindVfDriver(int vf, Optional<DriverName> from, VfDeviceType to, String reason)
      implements Step {
    public BindVfDriver {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    @Override
    public String describe() {
      return "VF " + vf + " driver " + from.map(DriverName::value).orElse("none") + " -> " + to;
    }
  }

  /**
   * {@code ip link set <vf netdev> mtu N}.
   *
   * @param from the MTU now; empty when the VF is created or rebound by this plan
   */
  record SetVfMtu(int vf, OptionalInt from, int to, String reason) implements Step {
    @Override
    public String describe() {
      return "VF "
          + vf
          + " mtu "
          + (from.isPresent() ? Integer.toString(from.getAsInt()) : "(new)")
          + " -> "
          + to;
    }
  }

  /** {@code ip link set <pf> vf N mac <the VF netdev's MAC>}: upstream's admin-MAC pinning. */
  record PinVfMac(int vf, String reason) implements Step {
    @Override
    public String describe() {
      return "VF " + vf + " admin MAC := its netdev MAC";
    }
  }
}
