package io.sriov.netlink.route;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options of a bond, as bond-cni accepts them (each maps to one IFLA_BOND_* attribute; absent
 * ones keep the kernel default). {@code ip link add B type bond mode M miimon N ...}.
 *
 * @param primary ifindex of the preferred slave (IFLA_BOND_PRIMARY)
 * @param resendIgmp IGMP reports sent after a failover, 0-255 (IFLA_BOND_RESEND_IGMP)
 */
public record BondOptions(
    BondMode mode,
    OptionalInt miimon,
    Optional<FailOverMac> failOverMac,
    Optional<XmitHashPolicy> xmitHashPolicy,
    Optional<LacpRate> lacpRate,
    Optional<AdSelect> adSelect,
    OptionalInt arpInterval,
    List<Inet4Address> arpIpTargets,
    Optional<ArpValidate> arpValidate,
    OptionalInt primary,
    OptionalInt updelay,
    OptionalInt downdelay,
    OptionalInt minLinks,
    Optional<Boolean> allSlavesActive,
    Optional<Boolean> tlbDynamicLb,
    OptionalInt resendIgmp) {

  /** The kernel's BOND_MAX_ARP_TARGETS. */
  public static final int MAX_ARP_TARGETS = 16;

  public BondOptions {
    Objects.requireNonNull(mode, "mode");
    arpIpTargets = List.copyOf(arpIpTargets);
    if (arpIpTargets.size() > MAX_ARP_TARGETS) {
      throw new IllegalArgumentException(
          "bond arp_ip_target: at most "
              + MAX_ARP_TARGETS
              + " addresses, got "
              + arpIpTargets.size());
    }
    nonNegative("miimon", miimon);
    nonNegative("arp_interval", arpInterval);
    nonNegative("updelay", updelay);
    nonNegative("downdelay", downdelay);
    nonNegative("min_links", minLinks);
    if (resendIgmp.isPresent() && (resendIgmp.getAsInt() < 0 || resendIgmp.getAsInt() > 255)) {
      throw new IllegalArgumentException(
          "bond resend_igmp must be 0-255: " + resendIgmp.getAsInt());
    }
  }

  private static void nonNegative(String what, OptionalInt v) {
    if (v.isPresent() && v.getAsInt() < 0) {
      throw new IllegalArgumentException("bond " + what + " must not be negative: " + v.getAsInt());
    }
  }

  public static Builder builder(BondMode mode) {
    return new Builder(mode);
  }

  /** Builds {@link BondOptions}. */
  public static final class Builder {
    private final BondMode mode;
    private Integer miimon;
    private FailOverMac failOverMac;
    private XmitHashPolicy xmitHashPolicy;
    private LacpRate lacpRate;
    private AdSelect adSelect;
    private Integer arpInterval;
    private final List<Inet4Address> arpIpTargets = new ArrayList<>();
    private Integer primary;
    private Integer updelay;
    private Integer downdelay;
    private Integer minLinks;
    private Boolean allSlavesActive;
    private Boolean tlbDynamicLb;
    private ArpValidate arpValidate;
    private Integer resendIgmp;

    private Builder(BondMode mode) {
      this.mode = mode;
    }

    public Builder miimon(int ms) {
      miimon = ms;
      return this;
    }

    public Builder failOverMac(FailOverMac v) {
      failOverMac = v;
      return this;
    }

    public Builder xmitHashPolicy(XmitHashPolicy v) {
      xmitHashPolicy = v;
      return this;
    }

    public Builder lacpRate(LacpRate v) {
      lacpRate = v;
      return this;
    }

    public Builder adSelect(AdSelect v) {
      adSelect = v;
      return this;
    }

    public Builder arpInterval(int ms) {
      arpInterval = ms;
      return this;
    }

    public Builder arpIpTarget(Inet4Address a) {
      arpIpTargets.add(a);
      return this;
    }

    public Builder arpValidate(ArpValidate v) {
      arpValidate = v;
      return this;
    }

    public Builder resendIgmp(int n) {
      resendIgmp = n;
      return this;
    }

    public Builder primary(int ifIndex) {
      primary = ifIndex;
      return this;
    }

    public Builder updelay(int ms) {
      updelay = ms;
      return this;
    }

    public Builder downdelay(int ms) {
      downdelay = ms;
      return this;
    }

    public Builder minLinks(int n) {
      minLinks = n;
      return this;
    }

    public Builder allSlavesActive(boolean v) {
      allSlavesActive = v;
      return this;
    }

    public Builder tlbDynamicLb(boolean v) {
      tlbDynamicLb = v;
      return this;
    }

    private static OptionalInt opt(Integer v) {
      return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    public BondOptions build() {
      return new BondOptions(
          mode,
          opt(miimon),
          Optional.ofNullable(failOverMac),
          Optional.ofNullable(xmitHashPolicy),
          Optional.ofNullable(lacpRate),
          Optional.ofNullable(adSelect),
          opt(arpInterval),
          arpIpTargets,
          Optional.ofNullable(arpValidate),
          opt(primary),
          opt(updelay),
          opt(downdelay),
          opt(minLinks),
          Optional.ofNullable(allSlavesActive),
          Optional.ofNullable(tlbDynamicLb),
          opt(resendIgmp));
    }
  }
}
