package io.sriov.netlink.route;

import io.sriov.core.value.MacAddress;
import io.sriov.core.value.VfIndex;
import java.util.Objects;
import java.util.Optional;

/**
 * VF attributes to set on a PF in one RTM_SETLINK (IFLA_VFINFO_LIST / IFLA_VF_INFO). Each present
 * field is one {@code ip link set <pf> vf N ...} argument; absent fields are left as they are. The
 * kernel applies them in its own fixed order (mac, vlan, rate, spoofchk, state, trust) and stops at
 * the first the driver refuses.
 */
public record VfConfig(
    VfIndex vf,
    Optional<MacAddress> mac,
    Optional<VfVlan> vlan,
    Optional<TxRate> rate,
    Optional<Boolean> spoofCheck,
    Optional<Boolean> trust,
    Optional<VfLinkState> linkState) {

  /** IFLA_VF_RATE in Mbit/s; 0 = unlimited. */
  public record TxRate(int minMbps, int maxMbps) {
    public TxRate {
      if (minMbps < 0 || maxMbps < 0) {
        throw new IllegalArgumentException(
            "TX rate must not be negative: min " + minMbps + " max " + maxMbps);
      }
      if (maxMbps != 0 && minMbps > maxMbps) {
        throw new IllegalArgumentException(
            "min TX rate " + minMbps + " Mbps above max TX rate " + maxMbps + " Mbps");
      }
    }
  }

  public VfConfig {
    Objects.requireNonNull(vf, "vf");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(vlan, "vlan");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(spoofCheck, "spoofCheck");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(linkState, "linkState");
  }

  public static Builder forVf(VfIndex vf) {
    return new Builder(vf);
  }

  public boolean isEmpty() {
    return mac.isEmpty()
        && vlan.isEmpty()
        && rate.isEmpty()
        && spoofCheck.isEmpty()
        && trust.isEmpty()
        && linkState.isEmpty();
  }

  /** Builds a {@link VfConfig}; unset fields stay untouched on the VF. */
  public static final class Builder {
    private final VfIndex vf;
    private MacAddress mac;
    private VfVlan vlan;
    private TxRate rate;
    private Boolean spoofCheck;
    private Boolean trust;
    private VfLinkState linkState;

    private Builder(VfIndex vf) {
      this.vf = Objects.requireNonNull(vf, "vf");
    }

    public Builder mac(MacAddress v) {
      mac = v;
      return this;
    }

    public Builder vlan(VfVlan v) {
      vlan = v;
      return this;
    }

    public Builder rate(int minMbps, int maxMbps) {
      rate = new TxRate(minMbps, maxMbps);
      return this;
    }

    public Builder spoofCheck(boolean v) {
      spoofCheck = v;
      return this;
    }

    public Builder trust(boolean v) {
      trust = v;
      return this;
    }

    public Builder linkState(VfLinkState v) {
      linkState = v;
      return this;
    }

    public VfConfig build() {
      return new VfConfig(
          vf,
          Optional.ofNullable(mac),
          Optional.ofNullable(vlan),
          Optional.ofNullable(rate),
          Optional.ofNullable(spoofCheck),
          Optional.ofNullable(trust),
          Optional.ofNullable(linkState));
    }
  }
}
