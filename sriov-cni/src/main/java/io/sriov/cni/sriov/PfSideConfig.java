package io.sriov.cni.sriov;

import io.sriov.core.value.MacAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfVlan;
import io.sriov.netlink.route.VlanProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The VF attributes a netconf sets on the PF ({@code ip link set <pf> vf N ...}): reading the
 * original state, applying the request in upstream's order (vlan+qos+proto, MAC with retries, rate,
 * spoofchk, trust, link state: one request each, so a refusal names its attribute) and checking it
 * took effect, comparing for CHECK, and restoring the original state.
 */
final class PfSideConfig {
  /** Upstream retries the VF MAC 20 times, 100 ms apart (slow PF mailboxes, e.g. iavf). */
  static final int MAC_ATTEMPTS = 20;

  private final Duration macRetryDelay;

  PfSideConfig(Duration macRetryDelay) {
    this.macRetryDelay = macRetryDelay;
  }

  /** The PF link by name, in the host namespace. */
  static Link pf(RtnlOperations host, VfDevice vf) throws NetlinkException {
    return host.link(vf.pfName().value())
        .orElseThrow(
            () ->
                new VfConfigException(
                    "PF "
                        + vf.pfName()
                        + " of VF "
                        + vf.address()
                        + " is not in the host namespace"));
  }

  /** What the PF reports for the VF now. */
  static VfInfo info(RtnlOperations host, int pfIndex, VfDevice vf) throws NetlinkException {
    for (VfInfo i : host.vfs(pfIndex, false)) {
      if (i.vf().equals(vf.index())) {
        return i;
      }
    }
    throw new VfConfigException(
        "PF " + vf.pfName() + " reports no VF " + vf.index().value() + " (" + vf.address() + ")");
  }

  static VfVlan vlanOf(VfInfo i) {
    return i.vlans().isEmpty() ? VfVlan.of(0, 0) : i.vlans().get(0);
  }

  /** The original state: the PF's view of the VF, plus the netdev's name, MAC and MTU. */
  static VfSnapshot snapshot(RtnlOperations host, int pfIndex, VfDevice vf)
      throws NetlinkException {
    return snapshot(host, pfIndex, vf, netdev(host, vf));
  }

  /** The VF's netdev in the host as it is now, by the name the locate found; empty for none. */
  static Optional<Link> netdev(RtnlOperations host, VfDevice vf) throws NetlinkException {
    return vf.netdev().isPresent() ? host.link(vf.netdev().get().value()) : Optional.empty();
  }

  /** {@link #snapshot(RtnlOperations, int, VfDevice)} with the netdev's link read by the caller. */
  static VfSnapshot snapshot(RtnlOperations host, int pfIndex, VfDevice vf, Optional<Link> netdev)
      throws NetlinkException {
    VfInfo i = info(host, pfIndex, vf);
    return new VfSnapshot(
        i.mac(),
        vlanOf(i),
        i.minTxRateMbps(),
        i.maxTxRateMbps(),
        i.spoofCheck(),
        i.trust(),
        i.linkState(),
        netdev.map(Link::name),
        netdev.flatMap(Link::mac),
        netdev.isPresent() ? OptionalInt.of(netdev.get().mtu()) : OptionalInt.empty());
  }

  /** Whether {@code conf} sets any attribute on the PF's side of the VF. */
  static boolean setsAny(SriovNetConf conf) {
    return conf.vlan().isPresent()
        || conf.mac().isPresent()
        || conf.minTxRateMbps().isPresent()
        || conf.maxTxRateMbps().isPresent()
        || conf.spoofCheck().isPresent()
        || conf.trust().isPresent()
        || conf.linkState().isPresent();
  }

  /**
   * Applies every attribute {@code conf} sets, in upstream's order, then checks them; no request
   * and no read-back when it sets none (nothing to check).
   */
  void apply(RtnlOperations host, int pfIndex, VfDevice vf, SriovNetConf conf)
      throws NetlinkException {
    if (!setsAny(conf)) {
      return;
    }
    VfIndex n = vf.index();
    if (conf.vlan().isPresent()) {
      VfVlan v = conf.vlan().get();
      set(host, pfIndex, vf, VfConfig.forVf(n).vlan(v).build(), describe(v));
    }
    if (conf.mac().isPresent()) {
      setMac(host, pfIndex, vf, conf.mac().get());
    }
    if (conf.minTxRateMbps().isPresent() || conf.maxTxRateMbps().isPresent()) {
      int min = conf.minTxRateMbps().orElse(0);
      int max = conf.maxTxRateMbps().orElse(0);
      set(
          host,
          pfIndex,
          vf,
          VfConfig.forVf(n).rate(min, max).build(),
          "min_tx_rate " + min + " max_tx_rate " + max);
    }
    if (conf.spoofCheck().isPresent()) {
      boolean on = conf.spoofCheck().get();
      set(host, pfIndex, vf, VfConfig.forVf(n).spoofCheck(on).build(), "spoofchk " + onOff(on));
    }
    if (conf.trust().isPresent()) {
      boolean on = conf.trust().get();
      set(host, pfIndex, vf, VfConfig.forVf(n).trust(on).build(), "trust " + onOff(on));
    }
    if (conf.linkState().isPresent()) {
      VfLinkState s = conf.linkState().get();
      set(host, pfIndex, vf, VfConfig.forVf(n).linkState(s).build(), "state " + word(s));
    }
    List<String> wrong = differences(info(host, pfIndex, vf), conf);
    if (!wrong.isEmpty()) {
      throw new VfConfigException(
          "VF " + n.value() + " on " + vf.pfName() + " did not take " + String.join(", ", wrong));
    }
  }

  /** Where the PF's view of the VF differs from what {@code conf} asked: empty when it matches. */
  static List<String> differences(VfInfo i, SriovNetConf conf) {
    List<String> out = new ArrayList<>();
    if (conf.vlan().isPresent() && !vlanOf(i).equals(conf.vlan().get())) {
      out.add(describe(conf.vlan().get()) + " (reads " + describe(vlanOf(i)) + ")");
    }
    if (conf.mac().isPresent() && !i.mac().equals(conf.mac().get())) {
      out.add("mac " + conf.mac().get() + " (reads " + i.mac() + ")");
    }
    if (conf.minTxRateMbps().isPresent() || conf.maxTxRateMbps().isPresent()) {
      int min = conf.minTxRateMbps().orElse(0);
      int max = conf.maxTxRateMbps().orElse(0);
      if (i.minTxRateMbps() != min || i.maxTxRateMbps() != max) {
        out.add(
            "min_tx_rate "
                + min
                + " max_tx_rate "
                + max
                + " (reads "
                + i.minTxRateMbps()
                + " "
                + i.maxTxRateMbps()
                + ")");
      }
    }
    if (conf.spoofCheck().isPresent()
        && i.spoofCheck().isPresent()
        && !i.spoofCheck().get().equals(conf.spoofCheck().get())) {
      out.add("spoofchk " + onOff(conf.spoofCheck().get()));
    }
    if (conf.trust().isPresent()
        && i.trust().isPresent()
        && !i.trust().get().equals(conf.trust().get())) {
      out.add("trust " + onOff(conf.trust().get()));
    }
    if (conf.linkState().isPresent() && i.linkState() != conf.linkState().get()) {
      out.add("state " + word(conf.linkState().get()) + " (reads " + word(i.linkState()) + ")");
    }
    return out;
  }

  /**
   * Puts back what ADD changed: the admin MAC always (upstream #214), the other attributes when
   * {@code conf} set them. Best effort: every attribute is tried; the failures are returned.
   */
  List<String> restore(
      RtnlOperations host, int pfIndex, VfDevice vf, SriovNetConf conf, VfSnapshot orig) {
    VfIndex n = vf.index();
    List<String> failures = new ArrayList<>();
    attempt(
        failures,
        host,
        pfIndex,
        vf,
        VfConfig.forVf(n).mac(orig.adminMac()).build(),
        "mac " + orig.adminMac());
    if (conf.vlan().isPresent()) {
      attempt(
          failures,
          host,
          pfIndex,
          vf,
          VfConfig.forVf(n).vlan(orig.vlan()).build(),
          describe(orig.vlan()));
    }
    if (conf.minTxRateMbps().isPresent() || conf.maxTxRateMbps().isPresent()) {
      attempt(
          failures,
          host,
          pfIndex,
          vf,
          VfConfig.forVf(n).rate(orig.minTxRateMbps(), orig.maxTxRateMbps()).build(),
          "min_tx_rate " + orig.minTxRateMbps() + " max_tx_rate " + orig.maxTxRateMbps());
    }
    if (conf.spoofCheck().isPresent() && orig.spoofCheck().isPresent()) {
      boolean on = orig.spoofCheck().get();
      attempt(
          failures,
          host,
          pfIndex,
          vf,
          VfConfig.forVf(n).spoofCheck(on).build(),
          "spoofchk " + onOff(on));
    }
    if (conf.trust().isPresent() && orig.trust().isPresent()) {
      boolean on = orig.trust().get();
      attempt(
          failures, host, pfIndex, vf, VfConfig.forVf(n).trust(on).build(), "trust " + onOff(on));
    }
    if (conf.linkState().isPresent()) {
      attempt(
          failures,
          host,
          pfIndex,
          vf,
          VfConfig.forVf(n).linkState(orig.linkState()).build(),
          "state " + word(orig.linkState()));
    }
    return failures;
  }

  private void setMac(RtnlOperations host, int pfIndex, VfDevice vf, MacAddress mac)
      throws NetlinkException {
    VfConfig c = VfConfig.forVf(vf.index()).mac(mac).build();
    NetlinkException last = null;
    for (int attempt = 1; attempt <= MAC_ATTEMPTS; attempt++) {
      try {
        host.setVf(pfIndex, c);
        if (info(host, pfIndex, vf).mac().equals(mac)) {
          return;
        }
      } catch (NetlinkException e) {
        last = e;
      }
      if (attempt < MAC_ATTEMPTS) {
        pause();
      }
    }
    String prefix =
        "ip link set " + vf.pfName() + " vf " + vf.index().value() + " mac " + mac + ": ";
    if (last != null) {
      throw new VfConfigException(
          prefix + "failed " + MAC_ATTEMPTS + " times, last: " + last.getMessage(), last);
    }
    throw new VfConfigException(
        prefix + "the PF still reports another MAC after " + MAC_ATTEMPTS + " attempts");
  }

  /**
   * The state a VF has when nothing configured it (no admin MAC, untagged, no rate limit, spoof
   * check on, not trusted, link state auto): what DEL resets to when it has no cache.
   */
  static VfSnapshot neutral(VfInfo now) {
    return new VfSnapshot(
        now.mac(),
        VfVlan.of(0, 0),
        0,
        0,
        Optional.of(true),
        Optional.of(false),
        VfLinkState.AUTO,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty());
  }

  void pauseBeforeRetry() {
    pause();
  }

  private void pause() {
    try {
      Thread.sleep(macRetryDelay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VfConfigException("interrupted while retrying the VF MAC");
    }
  }

  private static void set(
      RtnlOperations host, int pfIndex, VfDevice vf, VfConfig config, String what) {
    try {
      host.setVf(pfIndex, config);
    } catch (NetlinkException e) {
      throw new VfConfigException(
          "ip link set "
              + vf.pfName()
              + " vf "
              + vf.index().value()
              + " "
              + what
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void attempt(
      List<String> failures,
      RtnlOperations host,
      int pfIndex,
      VfDevice vf,
      VfConfig config,
      String what) {
    try {
      set(host, pfIndex, vf, config, what);
    } catch (VfConfigException e) {
      failures.add(e.getMessage());
    }
  }

  static String describe(VfVlan v) {
    return "vlan "
        + v.vlan()
        + " qos "
        + v.qos()
        + (v.proto() == VlanProtocol.IEEE_802_1Q ? "" : " proto " + v.proto());
  }

  static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  static String word(VfLinkState s) {
    return s.name().toLowerCase(java.util.Locale.ROOT);
  }
}
